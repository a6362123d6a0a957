import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { SpanResolution } from "../../domain/settlement/settle-traces.ts";
import { SPAN_COLUMNS, type InsertedSpanKey, type SpanRow } from "./insert-spans.ts";

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
  const chunks = spanCopyText(rows, resolutions);
  const stream = client.query(copyFrom(`COPY spans (${SPAN_COLUMNS.map((c) => c.target).join(", ")}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
  if (stream.rowCount !== rows.length) throw new Error(`COPY stored ${stream.rowCount} of ${rows.length} spans`);
  return rows.map((r) => ({ orgId: r.orgId, traceId: r.span.traceId }));
}

/**
 * The rows as COPY text-format lines, in chunks of ~1,000 (one 4,000-span string would be a ~5 MB allocation for
 * nothing). Written field by field in SPAN_COLUMNS order, without spanValues' array per row (that path cost ~5 µs
 * of the collector's CPU per span, bench/otlp-decode.ts); the integration test checks it stores what the INSERT stores.
 */
export function spanCopyText(rows: SpanRow[], resolutions?: (SpanResolution | null)[]): string[] {
  const chunks: string[] = [];
  const times: SecondPrefixes = new Map();
  let chunk = "";
  for (let r = 0; r < rows.length; r++) {
    chunk += copyLine(rows[r]!, resolutions?.[r] ?? null, times);
    if (r % 1000 === 999) {
      chunks.push(chunk);
      chunk = "";
    }
  }
  if (chunk !== "") chunks.push(chunk);
  return chunks;
}

const T = "\t";
const NULL = "\\N";
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text field: \N for null, backslash escapes for the characters COPY's text format gives a meaning to. */
const text = (v: string | null): string => (v === null ? NULL : NEEDS_ESCAPE.test(v) ? v.replace(ESCAPE_ALL, (ch) => ESCAPES[ch]!) : v);
/** Ids: lower-case hex from the decoder, and the org id (ours); nothing to escape. */
const id = (v: string | null): string => (v === null ? NULL : v);
const num = (v: number | null | undefined): string => (v === null || v === undefined ? NULL : String(v));
const bool = (v: boolean | null | undefined): string => (v === null || v === undefined ? NULL : v ? "t" : "f");
const NO_LLM = `f${T}${Array(14).fill(NULL).join(T)}${T}`; // is_llm_call … server_address
const NO_RESOLUTION = `${NULL}${T}${NULL}${T}${NULL}${T}${NULL}${T}f${T}f\n`; // settled later; the retry flags are NOT NULL

function copyLine({ orgId, span: s, costUsd, priceRef }: SpanRow, res: SpanResolution | null, times: SecondPrefixes): string {
  const a = s.attribution;
  const llm = s.llm;
  let line = id(orgId) + T + id(s.traceId) + T + id(s.spanId) + T + id(s.parentSpanId) + T + text(s.name) + T + num(s.kind) + T
    + nanosToIsoMicros(s.startTimeUnixNano, times) + T + nanosToIsoMicros(s.endTimeUnixNano, times) + T + text(s.status) + T + text(s.statusMessage) + T
    + text(s.serviceName) + T + text(a.feature) + T + text(a.taskType) + T + text(a.taskId) + T + text(a.taskOutcome) + T
    + text(a.customerId) + T + text(a.promptName) + T + text(a.promptVersion) + T + num(a.promptSystemTokens) + T + num(a.retryAttempt) + T;
  if (llm === null) line += NO_LLM;
  else {
    line += "t" + T + text(llm.provider) + T + text(llm.requestModel) + T + text(llm.responseModel) + T + text(llm.model) + T + text(llm.operation) + T
      + num(llm.inputTokens) + T + num(llm.cacheReadTokens) + T + num(llm.cacheWriteTokens) + T + num(llm.outputTokens) + T + num(llm.reasoningTokens) + T
      + bool(llm.isStreaming) + T + num(llm.ttftMs) + T + text(llm.errorType) + T + text(llm.serverAddress) + T;
  }
  line += (costUsd ?? NULL) + T + text(priceRef) + T;
  if (res === null) return line + NO_RESOLUTION;
  return line + text(res.feature) + T + text(res.taskKey) + T + text(res.taskType) + T + text(res.customerId) + T + (res.isRetry ? "t" : "f") + T + (res.isRetryWaste ? "t" : "f") + "\n";
}

/** ISO prefixes (YYYY-MM-DDTHH:MM:SS) by whole second since the epoch: a batch's spans share a few seconds. */
export type SecondPrefixes = Map<number, string>;

/** Nanoseconds since the epoch → an ISO timestamp with all six fractional digits (whole microseconds, truncated). */
export function nanosToIsoMicros(nanos: bigint, prefixes: SecondPrefixes = new Map()): string {
  const us = Number(nanos / 1000n); // exact below 2^53 µs (the year 2255)
  const second = Math.floor(us / 1e6);
  let prefix = prefixes.get(second);
  if (prefix === undefined) {
    prefix = new Date(second * 1000).toISOString().slice(0, 19);
    prefixes.set(second, prefix);
  }
  const fraction = String(us - second * 1e6);
  return `${prefix}.${fraction.length === 6 ? fraction : fraction.padStart(6, "0")}Z`;
}
