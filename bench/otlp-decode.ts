/**
 * CPU cost of the collector's in-process stages on one core, per 512-span gzip'd protobuf request:
 * gunzip → decode → normalize → price (the ingest call pricer, memoized catalog) → row arrays for the bulk INSERT.
 *   npx tsx bench/otlp-decode.ts [requests]
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import { decodeTraces } from "../collectors/decode/decode-traces.ts";
import { ExportTraceServiceRequest } from "../collectors/decode/proto-schema.ts";
import { spanRowsToArrays } from "../server/db/bulk/insert-spans.ts";
import { normalizeSpans } from "../server/domain/normalize/normalize-spans.ts";
import { createCallPricer } from "../server/domain/pricing/call-pricer.ts";
import { CATALOG_VERSION, lookupCatalog } from "../server/services/pricing/genai-catalog.ts";

const n = Number(process.argv[2] ?? 200);
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });
function request(): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: 512 }, (_, i) => ({
    traceId: crypto.randomBytes(16), spanId: crypto.randomBytes(8), name: "chat gpt-4o-mini", kind: 3,
    startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n),
    attributes: [str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", "openai"), str("gen_ai.request.model", "gpt-4o-mini"),
      int("gen_ai.usage.input_tokens", 1000 + i), int("gen_ai.usage.output_tokens", 200), str("inferledger.feature", `f${i % 8}`)],
  }));
  return zlib.gzipSync(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.create({ resourceSpans: [{ resource: { attributes: [str("service.name", "b")] }, scopeSpans: [{ spans }] }] })).finish());
}
const bodies = Array.from({ length: n }, request);
// As the ingest pricer prices (db-pricer.ts): override rule, memoized catalog, exact cost; no overrides here.
const catalog = lookupCatalog("openai", "gpt-4o-mini", new Date());
const price = createCallPricer({ overridesOf: () => undefined, catalogAt: () => catalog, catalogVersion: CATALOG_VERSION });
const stage = { gunzip: 0, decode: 0, normalize: 0, price: 0, rows: 0 };
for (const gz of bodies) {
  let t = performance.now();
  const raw = zlib.gunzipSync(gz);
  stage.gunzip += performance.now() - t; t = performance.now();
  const decoded = decodeTraces(raw, "protobuf");
  stage.decode += performance.now() - t; t = performance.now();
  const { spans } = normalizeSpans(decoded.resourceSpans);
  stage.normalize += performance.now() - t; t = performance.now();
  const rows = spans.map((span) => {
    const priced = price("o", span.llm!, Number(span.startTimeUnixNano / 1_000_000n));
    return { orgId: "o", span, costUsd: priced?.costUsd ?? null, priceRef: priced?.priceRef ?? null };
  });
  stage.price += performance.now() - t; t = performance.now();
  spanRowsToArrays(rows);
  stage.rows += performance.now() - t;
}
const spansTotal = n * 512;
const totalMs = Object.values(stage).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  date: new Date().toISOString(), requests: n, spans: spansTotal,
  msPerRequest: Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, Number((v / n).toFixed(2))])),
  spansPerSecondOneCore: Math.round(spansTotal / (totalMs / 1000)),
}, null, 2));
