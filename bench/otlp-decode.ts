/**
 * CPU cost of the collector's in-process stages on one core, per 512-span gzip'd protobuf request (the requests of
 * bench/ingest-load.ts): gunzip → decode → normalize → price (the ingest call pricer, memoized catalog) → settle
 * (settlement at ingest: traces the batch holds whole) → copy (the COPY text of the spans) → tasks (the task claim's
 * array parameters) → deltas (the settled
 * traces' rollup deltas, summed in memory). Database round trips are not in it.
 *   npx tsx bench/otlp-decode.ts [requests] [shape: traces|spans]
 */
import zlib from "node:zlib";
import { decodeTraces } from "../collectors/decode/decode-traces.ts";
import type { SpanRow } from "../server/db/bulk/insert-spans.ts";
import { spanCopyText } from "../server/db/bulk/copy-spans.ts";
import { taskArrays } from "../server/db/bulk/insert-tasks.ts";
import { ingestRollupDeltas, type DeltaSpan } from "../server/domain/costs/ingest-rollup-deltas.ts";
import { normalizeSpans } from "../server/domain/normalize/normalize-spans.ts";
import { createCallPricer } from "../server/domain/pricing/call-pricer.ts";
import { planIngestSettlement } from "../server/domain/settlement/settle-at-ingest.ts";
import { CATALOG_VERSION, lookupCatalog } from "../server/services/pricing/genai-catalog.ts";
import { makeOtlpTracesRequest, type RequestShape } from "./lib/otlp-requests.ts";

const n = Number(process.argv[2] ?? 200);
const shape = (process.argv[3] ?? "traces") as RequestShape;
const bodies = Array.from({ length: n }, (_, i) => makeOtlpTracesRequest(shape, i));
// As the ingest pricer prices (db-pricer.ts): override rule, memoized catalog (one object per model), exact cost.
const catalogs = new Map<string, ReturnType<typeof lookupCatalog>>();
const catalogAt = (provider: string | null, model: string) => {
  const key = `${provider}|${model}`;
  if (!catalogs.has(key)) catalogs.set(key, lookupCatalog(provider, model, new Date()));
  return catalogs.get(key)!;
};
const price = createCallPricer({ overridesOf: () => undefined, catalogAt, catalogVersion: CATALOG_VERSION });
const options = { loopCallThreshold: 25 };

function run(record: boolean) {
  const stage = { gunzip: 0, decode: 0, normalize: 0, price: 0, settle: 0, copy: 0, tasks: 0, deltas: 0 };
  for (const gz of bodies) {
    let t = performance.now();
    const raw = zlib.gunzipSync(gz);
    stage.gunzip += performance.now() - t; t = performance.now();
    const decoded = decodeTraces(raw, "protobuf");
    stage.decode += performance.now() - t; t = performance.now();
    const { spans } = normalizeSpans(decoded.resourceSpans);
    stage.normalize += performance.now() - t; t = performance.now();
    const rows: SpanRow[] = spans.map((span) => {
      const priced = span.llm ? price("o", span.llm, Number(span.startTimeUnixNano / 1_000_000n)) : null;
      return { orgId: "o", span, costUsd: priced?.costUsd ?? null, priceRef: priced?.priceRef ?? null };
    });
    stage.price += performance.now() - t; t = performance.now();
    const plan = planIngestSettlement(rows, options);
    stage.settle += performance.now() - t; t = performance.now();
    spanCopyText(rows, plan.resolutions);
    stage.copy += performance.now() - t; t = performance.now();
    taskArrays(plan.groups.flatMap((g) => g.tasks));
    stage.tasks += performance.now() - t; t = performance.now();
    const deltaSpans: DeltaSpan[] = [];
    for (const g of plan.groups) for (const indexes of g.rowsByTrace.values()) for (const i of indexes) deltaSpans.push({ ...rows[i]!, resolution: plan.resolutions[i]! });
    ingestRollupDeltas(deltaSpans, plan.groups.flatMap((g) => g.tasks));
    stage.deltas += performance.now() - t;
  }
  if (!record) return;
  const spansTotal = n * 512;
  const totalMs = Object.values(stage).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({
    date: new Date().toISOString(), shape, requests: n, spans: spansTotal,
    msPerRequest: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, Number((v / n).toFixed(2))])),
    usPerSpan: Number(((totalMs * 1000) / spansTotal).toFixed(2)),
    spansPerSecondOneCore: Math.round(spansTotal / (totalMs / 1000)),
  }, null, 2));
}
run(false); // warm-up: JIT and the pricer's memos, as in a collector that has been running
run(true);
