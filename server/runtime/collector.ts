import type http from "node:http";
import { createIngestConsumer } from "../../collectors/pipeline.ts";
import type { IngestRateLimiter } from "../../collectors/rate-limit/key-rate-limiter.ts";
import { startOtlpGrpcReceiver } from "../../collectors/receivers/otlp-grpc/receiver.ts";
import { createOtlpHttpReceiver } from "../../collectors/receivers/otlp-http/receiver.ts";
import type { CollectorMetrics } from "../../collectors/telemetry/collector-metrics.ts";
import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";
import { ApiKeyVerifier } from "../services/api-keys/verify-api-key.ts";
import { createDbPricer } from "../services/pricing/db-pricer.ts";
import { close, listen } from "./listen.ts";

export type RunningCollector = { httpPort: number; grpcPort: number; close: () => Promise<void> };

/** One process's collector: OTLP/HTTP and OTLP/gRPC receivers over one ingest pipeline. */
export async function startCollector(options: {
  db: Db;
  env: Env;
  log: (line: string) => void;
  rateLimiter: IngestRateLimiter;
  metrics: CollectorMetrics;
  maxQueuedSpans: number;
}): Promise<RunningCollector> {
  const { db, env, log, metrics } = options;
  const verifier = new ApiKeyVerifier(db);
  const pricer = await createDbPricer({ db, log });
  const consumer = createIngestConsumer({ db, maxQueuedSpans: options.maxQueuedSpans, pricer, rateLimiter: options.rateLimiter, metrics });
  const receiver: http.Server = createOtlpHttpReceiver({
    consumer,
    verifier,
    maxBodyBytes: env.OTLP_MAX_BODY_BYTES,
    isHealthy: async () => (await db.pool.query("SELECT 1"), true),
    log,
    metrics,
  });
  const httpPort = await listen(receiver, env.OTLP_HTTP_PORT, env.HOST);
  const grpc = await startOtlpGrpcReceiver({ consumer, verifier, maxBodyBytes: env.OTLP_MAX_BODY_BYTES, log, metrics, port: env.OTLP_GRPC_PORT, host: env.HOST });
  return {
    httpPort,
    grpcPort: grpc.port,
    // Stop accepting, then drain what was accepted (acknowledged data is already durable).
    close: async () => {
      await Promise.all([close(receiver), grpc.close()]);
      await consumer.drain();
      pricer.close();
      verifier.close();
    },
  };
}
