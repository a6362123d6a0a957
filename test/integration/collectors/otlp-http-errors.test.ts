import type http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOtlpHttpReceiver } from "../../../collectors/receivers/otlp-http/receiver.ts";
import type { OtlpConsumer } from "../../../collectors/types.ts";
import { revokeApiKey } from "../../../server/services/api-keys/api-keys.ts";
import { ApiKeyVerifier } from "../../../server/services/api-keys/verify-api-key.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

/** Records which org each accepted request was stamped with: the org must come from the key only. */
function recordingConsumer(seen: { orgId: string; bytes: number }[]): OtlpConsumer {
  return {
    consume: async ({ orgId, body }) => {
      seen.push({ orgId, bytes: body.length });
      return { rejected: 0, errorMessage: null };
    },
    encodeResponse: (_signal, _result, encoding) => (encoding === "json" ? Buffer.from("{}") : new Uint8Array()),
  };
}

describe("OTLP/HTTP receiver: authentication and request errors", () => {
  const db = testDb();
  const seen: { orgId: string; bytes: number }[] = [];
  let server: http.Server;
  let base: string;
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  const verifier = new ApiKeyVerifier(db);

  beforeAll(async () => {
    org = await createTestOrg(db);
    server = createOtlpHttpReceiver({ consumer: recordingConsumer(seen), verifier, maxBodyBytes: 1024, isHealthy: async () => true, log: () => undefined });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    verifier.close();
    await new Promise((r) => server.close(r));
    await closeTestDb();
  });

  const post = (path: string, init: { headers?: Record<string, string>; body?: BodyInit }) =>
    fetch(`${base}${path}`, { method: "POST", ...init });
  const json = (key?: string) => ({ "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) });

  it("GET /healthz answers ok", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", role: "collector" });
  });

  it("401 without a key, with a read key, with an unknown key", async () => {
    for (const key of [undefined, org.readKey.key, "il_ing_nope"]) {
      const res = await post("/v1/traces", { headers: json(key), body: "{}" });
      expect(res.status).toBe(401);
      expect((await res.json()) as { message: string }).toMatchObject({ code: 16, message: expect.stringContaining("ingest key") });
    }
  });

  it("accepts the x-api-key header and stamps the key's org", async () => {
    const res = await post("/v1/traces", { headers: { "content-type": "application/json", "x-api-key": org.ingestKey.key }, body: "{}" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(seen.at(-1)).toEqual({ orgId: org.org.id, bytes: 2 });
  });

  it("415 for an unsupported content type; 404 for unknown paths; 405 for GET", async () => {
    expect((await post("/v1/traces", { headers: { "content-type": "text/plain", authorization: `Bearer ${org.ingestKey.key}` }, body: "x" })).status).toBe(415);
    expect((await post("/v1/logs", { headers: json(org.ingestKey.key), body: "{}" })).status).toBe(404);
    expect((await fetch(`${base}/v1/traces`)).status).toBe(405);
  });

  it("413 above the limit, also when only the gunzipped size exceeds it; 400 for truncated gzip", async () => {
    const big = Buffer.alloc(4096, 0x20);
    expect((await post("/v1/traces", { headers: json(org.ingestKey.key), body: big })).status).toBe(413);
    const bomb = zlib.gzipSync(big);
    expect(bomb.length).toBeLessThan(1024);
    const res = await post("/v1/traces", { headers: { ...json(org.ingestKey.key), "content-encoding": "gzip" }, body: bomb });
    expect(res.status).toBe(413);
    const truncated = zlib.gzipSync(Buffer.from('{"resourceSpans":[]}')).subarray(0, 12);
    const bad = await post("/v1/traces", { headers: { ...json(org.ingestKey.key), "content-encoding": "gzip" }, body: truncated });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/gzip/);
  });

  it("401 at once after the key is revoked", async () => {
    const fresh = await createTestOrg(db);
    expect((await post("/v1/metrics", { headers: json(fresh.ingestKey.key), body: "{}" })).status).toBe(200);
    await revokeApiKey({ ctx: fresh.systemCtx, keyId: fresh.ingestKey.id });
    expect((await post("/v1/metrics", { headers: json(fresh.ingestKey.key), body: "{}" })).status).toBe(401);
  });
});
