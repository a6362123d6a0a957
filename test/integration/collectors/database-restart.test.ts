import { context, diag, DiagLogLevel, SpanKind, trace } from "@opentelemetry/api";
import { loggingErrorHandler, setGlobalErrorHandler } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { Pricer } from "../../../collectors/pipeline.ts";
import { createDb } from "../../../server/db/client.ts";
import { applyMigrations } from "../../../server/db/migrate.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";
import { findPostgresBinaries, startRestartablePglite, startThrowawayPostgres, type RestartableDatabase } from "../../helpers/restartable-database.ts";

/*
 * The official OTLP/HTTP protobuf exporter behind a BatchSpanProcessor (as a real app runs it) streams a known set
 * of spans while the database is killed and started again. The collector must answer 503 + Retry-After while it
 * is down, and afterwards every span must be stored exactly once with exact totals.
 *
 * The exporter's limits decide what "rides out" an outage (@opentelemetry/otlp-exporter-base 0.223): it retries a
 * 503 at most 5 times, waiting Retry-After (5 s here), and gives up once the next wait would pass the export's
 * `timeoutMillis` (default 10 s); the BatchSpanProcessor drops spans beyond `maxQueueSize` (2048) and abandons an
 * export after `exportTimeoutMillis` (30 s). With timeoutMillis 40 s an outage of up to ~25 s is covered; the test
 * keeps the database down for ~3 s and asserts the exporter reported no failure and no drop, so it is bounded
 * (well under a minute) and deterministic.
 */

const TRACES = 160;
const STOP_AFTER_TRACE = 40;
const RESTART_AFTER_TRACE = 100;
const SPAN_INTERVAL_MS = 20;
const INPUT_PRICE = new Decimal("0.000003");
const OUTPUT_PRICE = new Decimal("0.000015");

/** A deterministic price so the stored cost total can be checked to the last digit. */
const pricer: Pricer = {
  price: (_orgId, llm) => ({
    costUsd: INPUT_PRICE.mul(llm.inputTokens).plus(OUTPUT_PRICE.mul(llm.outputTokens)).toFixed(12),
    priceRef: "test",
  }),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

const backends: [string, () => Promise<RestartableDatabase | null>][] = [
  ["embedded PGlite served over the wire protocol", startRestartablePglite],
];
// On a machine with PostgreSQL's server binaries, the same scenario also runs on a real cluster the test owns.
if (findPostgresBinaries()) backends.unshift(["a second PostgreSQL cluster owned by the test", startThrowawayPostgres]);

describe.each(backends)("database restart mid-stream (%s)", (_name, startBackend) => {
  let database: RestartableDatabase | null = null;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    // Also after a failed assertion: collector, pool and the test's own database server never outlive the file.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await database?.destroy();
    setGlobalErrorHandler(loggingErrorHandler());
  });

  it("the OTel exporter gets 503 + Retry-After while it is down; afterwards every span is stored exactly once", async () => {
    database = await startBackend();
    if (!database) throw new Error("could not start a database the test owns");
    const migrationPool = new pg.Pool({ connectionString: database.url, max: 1 });
    await applyMigrations(migrationPool);
    await migrationPool.end();

    const db = createDb({ url: database.url, maxConnections: 4 });
    cleanups.push(() => db.close());
    const { org, ingestKey } = await createTestOrg(db);
    const collector = await startTestCollector(db, { pricer });
    cleanups.push(() => collector.stop());
    const statuses: { status: number; retryAfter: string | undefined }[] = [];
    collector.httpServer.on("request", (_req, res) => {
      res.on("finish", () => statuses.push({ status: res.statusCode, retryAfter: res.getHeader("retry-after")?.toString() }));
    });

    // Everything the SDK reports about failed or dropped exports.
    const otelProblems: string[] = [];
    setGlobalErrorHandler((error) => otelProblems.push(`error: ${String((error as Error)?.message ?? error)}`));
    diag.setLogger(
      {
        error: (m) => otelProblems.push(`diag error: ${m}`),
        warn: (m) => otelProblems.push(`diag warn: ${m}`),
        info: (m) => { if (/failed|not retrying|drop/i.test(m)) otelProblems.push(`diag info: ${m}`); },
        debug: (m) => { if (/drop/i.test(m)) otelProblems.push(`diag debug: ${m}`); },
        verbose: () => undefined,
      },
      DiagLogLevel.DEBUG,
    );

    const exporter = new OTLPTraceExporter({
      url: `${collector.httpUrl}/v1/traces`,
      headers: { authorization: `Bearer ${ingestKey.key}` },
      timeoutMillis: 40_000,
    });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "restart-test" }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 100, maxExportBatchSize: 40, maxQueueSize: 4096, exportTimeoutMillis: 45_000 })],
    });
    const tracer = provider.getTracer("restart-test");

    const expected = new Map<string, { inputTokens: number; outputTokens: number }>();
    let inputTotal = 0;
    let outputTotal = 0;
    let costTotal = new Decimal(0);
    let stoppedAtMs = 0;
    let downForMs = 0;
    const t0 = Date.UTC(2026, 10, 20, 9, 0, 0);
    try {
      for (let i = 0; i < TRACES; i++) {
        const start = t0 + i * 1000;
        const root = tracer.startSpan(`task ${i}`, { startTime: start, attributes: { "inferledger.feature": "restart", "inferledger.task.type": "answer" } });
        const inputTokens = 1000 + i * 7;
        const outputTokens = 100 + (i % 13);
        const call = tracer.startSpan(
          "chat gpt-4o-mini",
          {
            kind: SpanKind.CLIENT,
            startTime: start + 5,
            attributes: {
              "gen_ai.operation.name": "chat",
              "gen_ai.provider.name": "openai",
              "gen_ai.request.model": "gpt-4o-mini",
              "gen_ai.usage.input_tokens": inputTokens,
              "gen_ai.usage.output_tokens": outputTokens,
            },
          },
          trace.setSpan(context.active(), root),
        );
        call.end(start + 400);
        root.end(start + 450);
        expected.set(`${root.spanContext().traceId}:${root.spanContext().spanId}`, { inputTokens: 0, outputTokens: 0 });
        expected.set(`${call.spanContext().traceId}:${call.spanContext().spanId}`, { inputTokens, outputTokens });
        inputTotal += inputTokens;
        outputTotal += outputTokens;
        costTotal = costTotal.plus(pricer.price(org.id, { inputTokens, outputTokens } as never, 0)!.costUsd);

        if (i === STOP_AFTER_TRACE) {
          // Let some batches land first, so the outage really is mid-stream.
          await waitFor(() => statuses.some((s) => s.status === 200), 10_000, "a first acknowledged batch");
          await database.stop();
          stoppedAtMs = Date.now();
        }
        if (i === RESTART_AFTER_TRACE) {
          await waitFor(() => statuses.some((s) => s.status === 503), 15_000, "a 503 while the database is down");
          downForMs = Date.now() - stoppedAtMs;
          await database.start();
        }
        await sleep(SPAN_INTERVAL_MS);
      }
      await provider.forceFlush();
    } finally {
      await provider.shutdown().catch(() => undefined);
      diag.disable();
    }

    const refused = statuses.filter((s) => s.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((s) => s.retryAfter !== "5")).toEqual([]);
    expect(statuses.every((s) => s.status === 200 || s.status === 503)).toBe(true);
    expect(otelProblems).toEqual([]);
    expect(downForMs).toBeGreaterThan(0);
    expect(downForMs).toBeLessThan(20_000); // within what the exporter's retries cover

    const rows = await db.pool.query<{ trace_id: string; span_id: string; input_tokens: number | null; output_tokens: number | null }>(
      "SELECT trace_id, span_id, input_tokens, output_tokens FROM spans WHERE org_id = $1",
      [org.id],
    );
    // Exactly once: as many rows as spans sent, each one of them (the primary key forbids a second copy).
    expect(rows.rowCount).toBe(expected.size);
    for (const row of rows.rows) {
      const want = expected.get(`${row.trace_id}:${row.span_id}`);
      expect(want, `unexpected span ${row.trace_id}:${row.span_id}`).toBeDefined();
      expect(row.input_tokens ?? 0).toBe(want!.inputTokens);
      expect(row.output_tokens ?? 0).toBe(want!.outputTokens);
    }
    // Each trace (root + call, exported together) is settled into its task once, at ingest or by the settler.
    await runWorkerUntilIdle(db);
    const totals = await db.pool.query<{ spans: number; calls: number; input: string; output: string; cost: string; traces: number; tasks: number; taskCost: string }>(
      `SELECT count(*)::int AS spans, count(*) FILTER (WHERE is_llm_call)::int AS calls,
              sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cost_usd)::text AS cost,
              count(DISTINCT trace_id)::int AS traces,
              (SELECT count(*)::int FROM tasks WHERE org_id = $1) AS tasks,
              (SELECT sum(cost_usd)::text FROM tasks WHERE org_id = $1) AS "taskCost"
       FROM spans WHERE org_id = $1`,
      [org.id],
    );
    expect(totals.rows[0]).toEqual({
      spans: TRACES * 2,
      calls: TRACES,
      input: String(inputTotal),
      output: String(outputTotal),
      cost: costTotal.toFixed(12),
      traces: TRACES,
      tasks: TRACES,
      taskCost: costTotal.toFixed(12),
    });
  }, 120_000);
});
