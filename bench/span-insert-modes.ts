/**
 * The two forms of the spans INSERT (server/db/bulk/insert-spans.ts) head to head on one connection of a real
 * PostgreSQL server: `fresh` (no ON CONFLICT) vs `dedupe` (ON CONFLICT DO NOTHING), batches of new spans into a
 * table that already holds `prefill` spans, alternating the forms batch by batch so machine drift hits both alike.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/span-insert-modes.ts [prefill=500000] [batches=200] [rows=2000]
 *
 * Reports each form's statement time per batch (median, mean) and per span; the transaction is committed each time.
 */
import crypto from "node:crypto";
import { insertSpans, type InsertSpansMode, type SpanRow } from "../server/db/bulk/insert-spans.ts";
import { withTransaction } from "../server/db/transaction.ts";
import { createOrg } from "../server/services/orgs/create-org.ts";
import { span } from "../test/fixtures/spans.ts";
import { createBenchDatabase } from "./lib/bench-database.ts";

const prefill = Number(process.argv[2] ?? 500_000);
const batches = Number(process.argv[3] ?? 200);
const rowsPerBatch = Number(process.argv[4] ?? 2000);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const bench = await createBenchDatabase({ serverUrl, prefix: "inferledger_bench_insert" });
try {
  const org = await createOrg({ db: bench.db, name: "Bench" });
  const at = Date.now() - 3_600_000;
  const batch = (): SpanRow[] =>
    Array.from({ length: rowsPerBatch }, (_, i) => ({
      orgId: org.id, costUsd: "0.000210000000", priceRef: "catalog",
      span: span({ traceId: crypto.randomBytes(16).toString("hex"), parentSpanId: crypto.randomBytes(8).toString("hex"), startMs: at + i, llm: { inputTokens: 1000, outputTokens: 100 } }),
    }));
  for (let n = 0; n < prefill; n += rowsPerBatch) await insertSpans(bench.db.pool, batch());
  await bench.db.pool.query("ANALYZE spans");

  const times: Record<InsertSpansMode, number[]> = { fresh: [], dedupe: [] };
  for (let b = 0; b < batches; b++) {
    const mode: InsertSpansMode = b % 2 === 0 ? "fresh" : "dedupe";
    const rows = batch();
    await withTransaction(bench.db.pool, async (client) => {
      const t0 = performance.now();
      await insertSpans(client, rows, undefined, mode);
      times[mode].push(performance.now() - t0);
    });
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { batches: xs.length, medianMs: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)), meanMs: Number(mean.toFixed(1)), usPerSpan: Number(((mean * 1000) / rowsPerBatch).toFixed(1)) };
  };
  console.log(JSON.stringify({ date: new Date().toISOString(), prefill, rowsPerBatch, fresh: stats(times.fresh), dedupe: stats(times.dedupe) }, null, 2));
} finally {
  await bench.drop();
}
