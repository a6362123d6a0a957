import { afterAll, describe, expect, inject, it } from "vitest";
import { copySpans, nanosToIsoMicros } from "../../../server/db/bulk/copy-spans.ts";
import { insertSpans, isSpanKeyConflict, type SpanRow } from "../../../server/db/bulk/insert-spans.ts";
import { withTransaction } from "../../../server/db/transaction.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { hex, span } from "../../fixtures/spans.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

/** Awkward values for COPY's text format: escapes, the end-of-data marker, nulls, odd numbers, microseconds. */
function awkwardRows(orgId: string, traceIds: string[]): SpanRow[] {
  const at = Date.UTC(2026, 10, 5, 9, 30, 0);
  return traceIds.map((traceId, i) => {
    const s = span({
      traceId, startMs: at + i, name: ["tab\there", "new\nline", "back\\slash", "\\.", "cr\rlf", "ünï 💸", "\\N", ""][i % 8]!,
      status: i % 3 === 0 ? "error" : "ok", serviceName: i % 2 ? "svc" : undefined,
      attribution: { feature: `feat\t${i}`, customerId: i % 2 ? null : "acme\\corp", promptSystemTokens: i % 2 ? 1_000_000_000 : null, retryAttempt: i % 4 },
      llm: i % 5 === 4 ? null : { inputTokens: 999_999_999_999 - i, outputTokens: i, cacheReadTokens: 0, ttftMs: i % 2 ? 0.1 + i / 3 : null, isStreaming: i % 2 === 0, errorType: i % 3 === 0 ? "timeout\nretry" : null },
    });
    // A start with whole microseconds below the millisecond, and a status message with every escaped character.
    s.startTimeUnixNano += BigInt(i * 1_001 + 7_123) * 1_000n + 999n; // + 7.123 ms (+ i × 1.001 ms) and 999 ns, cut to µs
    s.statusMessage = i % 3 === 0 ? "a\tb\nc\rd\\e" : null;
    return { orgId, span: s, costUsd: s.llm ? `0.${String(i).padStart(12, "0")}` : null, priceRef: s.llm ? "catalog" : null };
  });
}

describe("nanosToIsoMicros", () => {
  it("keeps all six fractional digits, truncating the nanoseconds, and reuses a second's prefix correctly", () => {
    const prefixes = new Map<number, string>();
    expect(nanosToIsoMicros(1793871000123456999n, prefixes)).toBe("2026-11-05T09:30:00.123456Z");
    expect(nanosToIsoMicros(1793871000000001000n, prefixes)).toBe("2026-11-05T09:30:00.000001Z");
    expect(nanosToIsoMicros(1793871001999999999n, prefixes)).toBe("2026-11-05T09:30:01.999999Z");
    expect(nanosToIsoMicros(946684800000000000n)).toBe("2000-01-01T00:00:00.000000Z");
    expect(nanosToIsoMicros(999n)).toBe("1970-01-01T00:00:00.000000Z");
    expect(nanosToIsoMicros(1_500_000n)).toBe("1970-01-01T00:00:00.001500Z");
  });
});

/** COPY FROM STDIN needs a real server (embedded PGlite's socket hangs on it; the collector uses INSERT there). */
describe.runIf(inject("databaseKind") === "postgresql")("COPY of new spans stores exactly what the INSERT stores", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("every column, row for row, with awkward values", async () => {
    const [a, b] = [await createTestOrg(db), await createTestOrg(db)];
    const traceIds = Array.from({ length: 40 }, () => hex(16));
    const [rowsA, rowsB] = [awkwardRows(a.org.id, traceIds), awkwardRows(b.org.id, traceIds)];
    const resolutions = (rows: SpanRow[]) => rows.map(({ span: s }, i) =>
      i % 2 ? null : { traceId: s.traceId, spanId: s.spanId, feature: `r\t${i}`, taskKey: `trace:${i}`, taskType: "t", customerId: null, isRetry: i % 4 === 0, isRetryWaste: false });
    const copied = await withTransaction(db.pool, (client) => copySpans(client, rowsA, resolutions(rowsA)));
    await insertSpans(db.pool, rowsB, resolutions(rowsB), "fresh");
    expect(copied).toEqual(traceIds.map((traceId) => ({ orgId: a.org.id, traceId })));
    const read = async (orgId: string) =>
      (await db.pool.query(`SELECT * FROM spans WHERE org_id = $1 ORDER BY trace_id`, [orgId])).rows.map((row: Record<string, unknown>) => {
        const { org_id: _org, received_at: _received, span_id: _span, ...rest } = row;
        return rest;
      });
    const [viaCopy, viaInsert] = [await read(a.org.id), await read(b.org.id)];
    expect(viaCopy).toHaveLength(40);
    expect(viaCopy).toEqual(viaInsert);
    // Spot checks against the input (not only against the other path).
    const first = viaCopy.find((r) => r.trace_id === traceIds[0]) as Record<string, unknown>;
    expect(first).toMatchObject({ name: "tab\there", status_message: "a\tb\nc\rd\\e", feature: "feat\t0", customer_id: "acme\\corp", resolved_feature: "r\t0", is_retry: true, input_tokens: 999_999_999_999 });
    expect((first.start_time as Date).toISOString()).toBe("2026-11-05T09:30:00.007Z"); // pg's Date drops the µs
    const { rows } = await db.pool.query<{ us: string }>("SELECT to_char(start_time AT TIME ZONE 'UTC', 'US') AS us FROM spans WHERE org_id = $1 AND trace_id = $2", [a.org.id, traceIds[0]]);
    expect(rows[0]!.us).toBe("007123");
  });

  it("a span stored before fails the COPY as a primary-key conflict, and nothing of it stays", async () => {
    const { org } = await createTestOrg(db);
    const traceIds = [hex(16), hex(16)];
    const rows = awkwardRows(org.id, traceIds);
    await insertSpans(db.pool, rows.slice(1));
    const error = await withTransaction(db.pool, (client) => copySpans(client, rows)).catch((e: unknown) => e);
    expect(isSpanKeyConflict(error)).toBe(true);
    const { rows: stored } = await db.pool.query("SELECT trace_id FROM spans WHERE org_id = $1", [org.id]);
    expect(stored.map((r) => r.trace_id)).toEqual([traceIds[1]]);
  });
});
