import type http from "node:http";
import { createIngestConsumer, type Pricer } from "../../collectors/pipeline.ts";
import type { KeyRateLimiter } from "../../collectors/rate-limit/key-rate-limiter.ts";
import { startOtlpGrpcReceiver } from "../../collectors/receivers/otlp-grpc/receiver.ts";
import { createOtlpHttpReceiver } from "../../collectors/receivers/otlp-http/receiver.ts";
import type { Db } from "../../server/db/client.ts";
import { ApiKeyVerifier } from "../../server/services/api-keys/verify-api-key.ts";
import { createDbPricer } from "../../server/services/pricing/db-pricer.ts";

/** A real collector (HTTP + gRPC receivers, real pipeline and storage) on ephemeral loopback ports. */
export async function startTestCollector(db: Db, options: { pricer?: Pricer; maxBodyBytes?: number; maxQueuedSpans?: number; rateLimiter?: KeyRateLimiter; log?: (line: string) => void } = {}) {
  const verifier = new ApiKeyVerifier(db);
  const consumer = createIngestConsumer({ db, maxQueuedSpans: options.maxQueuedSpans ?? 100_000, pricer: options.pricer, rateLimiter: options.rateLimiter });
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const server: http.Server = createOtlpHttpReceiver({ consumer, verifier, maxBodyBytes, isHealthy: async () => true, log: options.log ?? (() => undefined) });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const grpc = await startOtlpGrpcReceiver({ consumer, verifier, maxBodyBytes, log: options.log ?? (() => undefined), port: 0, host: "127.0.0.1" });
  return {
    httpUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    grpcUrl: `http://127.0.0.1:${grpc.port}`,
    consumer,
    /** The OTLP/HTTP server, e.g. to observe responses (`server.on("request", …)`). */
    httpServer: server,
    /** POSTs an OTLP/HTTP JSON body (`/v1/traces` or `/v1/metrics`) with an ingest key, as an exporter would. */
    postJson: (path: "/v1/traces" | "/v1/metrics", ingestKey: string, body: unknown) =>
      fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}${path}`, {
        method: "POST", headers: { authorization: `Bearer ${ingestKey}`, "content-type": "application/json" }, body: JSON.stringify(body),
      }),
    stop: async () => {
      await new Promise((r) => server.close(r));
      await grpc.close();
      await consumer.drain();
      verifier.close();
    },
  };
}

/** A test collector pricing calls like production (catalog + org overrides); `stop()` also stops the pricer. */
export async function startPricedTestCollector(db: Db) {
  const pricer = await createDbPricer({ db, log: () => undefined });
  const collector = await startTestCollector(db, { pricer });
  return {
    ...collector,
    /** Re-reads org price overrides at once (production reloads every 15 s or on a change in this process). */
    reloadPrices: () => pricer.reload(),
    stop: async () => {
      pricer.close();
      await collector.stop();
    },
  };
}
