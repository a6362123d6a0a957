import crypto from "node:crypto";
import zlib from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from "../../../collectors/decode/proto-schema.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

/**
 * Hostile input against the running collector (real receiver, pipeline and storage), property-based: whatever the
 * body, the answer is 200 (possibly with partial success) or a 4xx with a message — never a 5xx — and what is
 * stored is exactly what was accepted: nothing of a refused request, nothing half-written, every stored value
 * within the documented limits. Fixed seeds, so a failure reproduces (and CI does not flake).
 */
describe("hostile input → running collector: never a 5xx, nothing half-written", () => {
  const db = testDb();
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let collector: Awaited<ReturnType<typeof startTestCollector>>;

  beforeAll(async () => {
    org = await createTestOrg(db);
    collector = await startTestCollector(db);
  });
  afterAll(async () => {
    await collector.stop();
    await closeTestDb();
  });

  const storedSpans = async () => Number((await db.pool.query("SELECT count(*) FROM spans WHERE org_id = $1", [org.org.id])).rows[0].count);
  const post = (body: Buffer, type: "application/x-protobuf" | "application/json", gzip: boolean) =>
    fetch(`${collector.httpUrl}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${org.ingestKey.key}`, "content-type": type, ...(gzip ? { "content-encoding": "gzip" } : {}) },
      body: new Uint8Array(gzip ? zlib.gzipSync(body) : body),
    });
  /** Rejected count from a 200's partial success (protobuf or JSON, as the response's content type says). */
  const rejectedOf = async (res: Response): Promise<number> => {
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.headers.get("content-type")?.includes("json")) return Number((JSON.parse(bytes.toString("utf8") || "{}") as { partialSuccess?: { rejectedSpans?: string } }).partialSuccess?.rejectedSpans ?? 0);
    return Number(ExportTraceServiceResponse.decode(bytes).partialSuccess?.rejectedSpans ?? 0);
  };

  /** A real request: `spans` model calls, each in a trace of its own, with fresh ids. */
  const realRequest = (spans: number) => ({
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "fuzz-app" } }] },
      scopeSpans: [{
        spans: Array.from({ length: spans }, (_, i) => ({
          traceId: crypto.randomBytes(16), spanId: crypto.randomBytes(8), name: `chat ${i}`, kind: 3,
          startTimeUnixNano: String(BigInt(Date.UTC(2026, 10, 1, 12)) * 1_000_000n + BigInt(i)),
          endTimeUnixNano: String(BigInt(Date.UTC(2026, 10, 1, 12, 0, 1)) * 1_000_000n),
          attributes: [
            { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
            { key: "gen_ai.provider.name", value: { stringValue: "openai" } },
            { key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } },
            { key: "gen_ai.usage.input_tokens", value: { intValue: 1000 + i } },
            { key: "gen_ai.usage.output_tokens", value: { intValue: 100 } },
            { key: "inferledger.feature", value: { stringValue: "fuzz" } },
          ],
          status: { code: 0 },
        })),
      }],
    }],
  });
  const encode = (request: object) => Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.create(request)).finish());
  /** OTLP/JSON of a request built for protobuf: ids (Buffers) as hex, as the spec wants. */
  const otlpJson = (request: object) =>
    JSON.stringify(request, (_k, v: unknown) => (v && typeof v === "object" && (v as { type?: string }).type === "Buffer" ? Buffer.from((v as { data: number[] }).data).toString("hex") : v));
  /** Spans of a body as protobufjs reads it (null: undecodable), to compare with what the collector accepted. */
  const spanCountOf = (body: Buffer): number | null => {
    try {
      const decoded = ExportTraceServiceRequest.decode(body) as unknown as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
      return decoded.resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);
    } catch {
      return null;
    }
  };

  it("mutated real protobuf (byte flips, truncation, splices; plain and gzip'd)", async () => {
    const outcomes = { stored: 0, partial: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.nat(), weight: 1 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        async (spans, flips, cutAt, splice, gzip) => {
          const real = encode(realRequest(spans));
          let body = Buffer.from(real);
          for (const [at, byte] of flips) body[at % body.length] = byte;
          if (cutAt !== undefined) body = Buffer.concat([body.subarray(0, cutAt % body.length), Buffer.from(splice)]);
          const before = await storedSpans();
          const res = await post(body, "application/x-protobuf", gzip);
          expect(res.status === 200 || res.status === 400, `status ${res.status}`).toBe(true);
          expect(res.headers.get("content-type")).toContain("application/x-protobuf");
          const stored = (await storedSpans()) - before;
          if (res.status === 400) {
            expect(stored).toBe(0);
            outcomes.refused++;
            return;
          }
          const rejected = await rejectedOf(res);
          outcomes[rejected > 0 ? "partial" : "stored"]++;
          const sent = spanCountOf(body);
          // What the collector took is a decodable request; every span in it is stored or counted as rejected.
          expect(sent).not.toBeNull();
          expect(stored + rejected).toBe(sent);
        },
      ),
      { numRuns: 80, seed: 20261202 },
    );
    console.info(`mutated protobuf outcomes: ${JSON.stringify(outcomes)}`);
    // The mutations reach both outcomes, not only undecodable bodies (partial success: the JSON test below).
    expect(outcomes.stored + outcomes.partial).toBeGreaterThan(5);
    expect(outcomes.refused).toBeGreaterThan(5);
  });

  it("hostile JSON values: token counts, timestamps, huge and deep attributes, invalid UTF-8", async () => {
    const tokenValue = fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => ({ intValue: n })),
      fc.constantFrom("NaN", "-1", "1e400", "99999999999999999999999", "12abc", "").map((s) => ({ intValue: s })),
      fc.double().map((d) => ({ doubleValue: d })),
      fc.string({ maxLength: 20 }).map((s) => ({ stringValue: s })),
    );
    const timestamp = fc.oneof(
      { arbitrary: fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2099, 0, 1) }).map((ms) => String(BigInt(ms) * 1_000_000n)), weight: 3 },
      fc.constantFrom("0", "1", "-5", "18446744073709551615", "99999999999999999999999", "1e30", "not a time"),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    );
    const nested = (depth: number) => {
      let value: object = { stringValue: "leaf" };
      for (let i = 0; i < depth; i++) value = { kvlistValue: { values: [{ key: `k${i}`, value }] } };
      return value;
    };
    const outcomes = { stored: 0, partial: 0, refused: 0 };
    const refusals = new Set<string>();
    await fc.assert(
      fc.asyncProperty(tokenValue, tokenValue, timestamp, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40_000 }), fc.boolean(), fc.boolean(),
        async (input, output, start, depth, hugeLength, invalidUtf8, gzip) => {
          const request = realRequest(2);
          const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]! as unknown as Record<string, unknown> & { attributes: object[] };
          span.startTimeUnixNano = start;
          span.attributes.push(
            { key: "gen_ai.usage.input_tokens", value: input },
            { key: "gen_ai.usage.output_tokens", value: output },
            { key: "deep", value: nested(depth) },
            { key: "inferledger.customer.id", value: { stringValue: "c".repeat(hugeLength) + (invalidUtf8 ? "\u0000INVALID" : "") } },
          );
          const hexIds = otlpJson(request);
          // Invalid UTF-8 cannot be written in a JS string: patch the placeholder's bytes in the encoded body.
          let body = Buffer.from(hexIds, "utf8");
          const at = body.indexOf("\\u0000INVALID");
          if (at >= 0) body = Buffer.concat([body.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), body.subarray(at + "\\u0000INVALID".length)]);
          const before = await storedSpans();
          const res = await post(body, "application/json", gzip);
          expect(res.status === 200 || res.status === 400, `status ${res.status}: ${await res.clone().text()}`).toBe(true);
          expect(res.headers.get("content-type")).toContain("application/json");
          const stored = (await storedSpans()) - before;
          if (res.status === 400) {
            const message = ((await res.json()) as { message?: string }).message;
            expect(message).toBeTruthy();
            refusals.add(message!.replace(/\d+/g, "N").slice(0, 80));
            expect(stored).toBe(0);
            outcomes.refused++;
            return;
          }
          const rejected = await rejectedOf(res);
          outcomes[rejected > 0 ? "partial" : "stored"]++;
          expect(stored + rejected).toBe(2);
        },
      ),
      { numRuns: 60, seed: 20261203 },
    );
    console.info(`hostile JSON outcomes: ${JSON.stringify(outcomes)}; refusals: ${[...refusals].join(" | ")}`);
    // All three outcomes are reached (malformed int64 strings refuse the whole body: it is not valid OTLP/JSON).
    expect(outcomes.stored).toBeGreaterThan(0);
    expect(outcomes.partial).toBeGreaterThan(5);
    expect(outcomes.refused).toBeGreaterThan(0);
    // Whatever was accepted is within the documented limits: token counts 0…10^12, strings ≤ 16 KiB, times 2000–2100.
    const { rows } = await db.pool.query<{ bad_tokens: string; longest: number | null; bad_times: string }>(
      `SELECT count(*) FILTER (WHERE input_tokens < 0 OR input_tokens > 1e12 OR output_tokens < 0 OR output_tokens > 1e12) AS bad_tokens,
              max(length(customer_id)) AS longest,
              count(*) FILTER (WHERE start_time < '2000-01-01' OR start_time >= '2100-01-01') AS bad_times
         FROM spans WHERE org_id = $1`,
      [org.org.id],
    );
    expect(Number(rows[0]!.bad_tokens)).toBe(0);
    expect(rows[0]!.longest ?? 0).toBeLessThanOrEqual(16_384);
    expect(Number(rows[0]!.bad_times)).toBe(0);
  });

  it("NUL characters (which PostgreSQL text cannot hold) are stored as U+FFFD, in JSON and protobuf alike", async () => {
    // Before: one NUL failed the whole batch's transaction (22021) and every request in it got 503, retried forever.
    const nul = (i: number) => {
      const request = realRequest(1) as unknown as { resourceSpans: { resource: { attributes: object[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
      const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
      span.name = `chat\u0000${i}`;
      span.status = { code: 2, message: "bad\u0000input" };
      (span.attributes as object[]).push({ key: "inferledger.customer.id", value: { stringValue: "acme\u0000" } }, { key: "k\u0000", value: { stringValue: "v" } });
      request.resourceSpans[0]!.resource.attributes[0] = { key: "service.name", value: { stringValue: "svc\u0000" } };
      return { request, traceId: (span.traceId as Buffer).toString("hex") };
    };
    const viaJson = nul(1);
    const json = otlpJson(viaJson.request);
    const viaProto = nul(2);
    const [jsonRes, protoRes] = await Promise.all([post(Buffer.from(json), "application/json", false), post(encode(viaProto.request), "application/x-protobuf", true)]);
    expect([jsonRes.status, protoRes.status]).toEqual([200, 200]);
    const { rows } = await db.pool.query<{ name: string; status_message: string; customer_id: string; service_name: string }>(
      "SELECT name, status_message, customer_id, service_name FROM spans WHERE org_id = $1 AND trace_id = ANY($2) ORDER BY name",
      [org.org.id, [viaJson.traceId, viaProto.traceId]],
    );
    expect(rows).toEqual([1, 2].map((i) => ({ name: `chat\uFFFD${i}`, status_message: "bad\uFFFDinput", customer_id: "acme\uFFFD", service_name: "svc\uFFFD" })));
  });

  it("a valid request after all of it is stored whole", async () => {
    const before = await storedSpans();
    const res = await post(encode(realRequest(5)), "application/x-protobuf", true);
    expect(res.status).toBe(200);
    expect(await rejectedOf(res)).toBe(0);
    expect((await storedSpans()) - before).toBe(5);
  });
});
