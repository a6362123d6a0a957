import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { SpanResolution } from "../../domain/settlement/settle-traces.ts";
import { SPAN_COLUMNS, spanValues, type InsertedSpanKey, type SpanRow } from "./insert-spans.ts";

/**
 * New spans by `COPY … FROM STDIN` (text format) instead of INSERT … SELECT FROM unnest: PostgreSQL inserts the
 * rows in multi-row heap batches and parses plain text lines instead of 43 array literals, and the collector builds
 * lines instead of node-postgres escaping every array element (bench/RESULTS.md: ~30 % less database CPU per span
 * for the statement). Like the `fresh` INSERT it has no ON CONFLICT: a span stored before fails the COPY with
 * unique_violation on spans_pkey (isSpanKeyConflict), the caller rolls back and retries deduplicating. So every
 * row is new when it succeeds, and the inserted keys are the rows' own.
 */
export async function copySpans(client: pg.PoolClient, rows: SpanRow[], resolutions?: (SpanResolution | null)[]): Promise<InsertedSpanKey[]> {
  if (rows.length === 0) return [];
  const lines: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) lines[r] = copyLine(spanValues(rows[r]!, resolutions?.[r] ?? null));
  const stream = client.query(copyFrom(`COPY spans (${SPAN_COLUMNS.map((c) => c.target).join(", ")}) FROM STDIN`));
  // Chunks of ~1,000 lines: one 4,000-span string would be a ~5 MB allocation for nothing.
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 1000) chunks.push(lines.slice(i, i + 1000).join("\n") + "\n");
  await pipeline(Readable.from(chunks), stream);
  if (stream.rowCount !== rows.length) throw new Error(`COPY stored ${stream.rowCount} of ${rows.length} spans`);
  return rows.map((r) => ({ orgId: r.orgId, traceId: r.span.traceId }));
}

function copyLine(values: unknown[]): string {
  let line = "";
  for (let c = 0; c < values.length; c++) {
    if (c > 0) line += "\t";
    line += copyField(SPAN_COLUMNS[c]!, values[c]);
  }
  return line;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field in COPY text format: \N for null, backslash escapes for text, ISO microseconds for times. */
function copyField(column: (typeof SPAN_COLUMNS)[number], value: unknown): string {
  if (value === null || value === undefined) return column.notNullFlag ? "f" : "\\N";
  if (column.isMicros) return microsToIso(value as string);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value !== "string") return String(value); // numbers and bigints: token counts, kind, ttft
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]!) : value;
}

/** Whole microseconds since the epoch (a decimal string) → an ISO timestamp with all six fractional digits. */
export function microsToIso(micros: string): string {
  const us = BigInt(micros);
  const ms = us / 1000n;
  const iso = new Date(Number(ms)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ, exact for 2000–2100
  const rest = us - ms * 1000n; // 0..999 (times are after 1970)
  return `${iso.slice(0, 23)}${String(rest).padStart(3, "0")}Z`;
}
