import type http from "node:http";
import path from "node:path";
import { createOtlpHttpReceiver } from "../../collectors/receivers/otlp-http/receiver.ts";
import { runDemoTraffic } from "../../collectors/demo/run-demo-traffic.ts";
import { createIngestConsumer } from "../../collectors/pipeline.ts";
import { KeyRateLimiter } from "../../collectors/rate-limit/key-rate-limiter.ts";
import { startOtlpGrpcReceiver } from "../../collectors/receivers/otlp-grpc/receiver.ts";
import { CollectorMetrics } from "../../collectors/telemetry/collector-metrics.ts";
import { createMetricsServer } from "../../collectors/telemetry/metrics-server.ts";
import { getAuth } from "../auth.ts";
import { createDb, type Db } from "../db/client.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded.ts";
import { setDb } from "../db/index.ts";
import { applyMigrations } from "../db/migrate.ts";
import { getEnv, isDemoEnabled, publicUrl } from "../env.ts";
import { ApiKeyVerifier } from "../services/api-keys/verify-api-key.ts";
import { ensureDemo } from "../services/demo/ensure-demo.ts";
import { startWebServer } from "./web-server.ts";
import { DEFAULT_JOBS, embeddedMaintenanceJob, serverMaintenanceJob, startWorker } from "./worker.ts";
import { createDbPricer } from "../services/pricing/db-pricer.ts";

export type Role = "all" | "web" | "collector" | "worker";
export type RunningInstance = {
  webUrl: string | null;
  collectorUrl: string | null;
  /** The collector's Prometheus endpoint, when INFERLEDGER_METRICS_PORT is set. */
  metricsUrl: string | null;
  db: Db;
  demo: { email: string; orgSlug: string; ingestKey: string; password: string | null } | null;
  stop: () => Promise<void>;
};

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Starts InferLedger: the database (embedded PGlite unless DATABASE_URL), migrations, the demo org, the OTLP
 * collector and the dashboard. Everything touching an embedded database must live in this one process.
 */
export async function startInferLedger({ role, log }: { role: Role; log: (line: string) => void }): Promise<RunningInstance> {
  const env = getEnv();
  let embedded: EmbeddedDatabase | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    const dataDir = path.resolve(env.INFERLEDGER_DATA_DIR);
    embedded = await startEmbeddedDatabase({ dataDir });
    url = embedded.url;
    log(`embedded PostgreSQL (PGlite) in ${dataDir}, serving the CLI at ${url}`);
  }
  // PGlite is one session: concurrent connections would interleave statements, so embedded mode uses one.
  const db = createDb({ url, maxConnections: embedded ? 1 : 20 });
  setDb(db);
  const migrations = await applyMigrations(db.pool);
  log(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already in place`);

  const closers: (() => Promise<void>)[] = [];
  let webUrl: string | null = null;
  let collectorUrl: string | null = null;
  let metricsUrl: string | null = null;
  let demo: RunningInstance["demo"] = null;

  if (role === "all" || role === "collector") {
    const verifier = new ApiKeyVerifier(db);
    const pricer = await createDbPricer({ db, log });
    const rateLimiter = new KeyRateLimiter({
      requestsPerSec: env.OTLP_KEY_REQUESTS_PER_SEC,
      requestBurst: env.OTLP_KEY_REQUEST_BURST,
      spansPerSec: env.OTLP_KEY_SPANS_PER_SEC,
      spanBurst: env.OTLP_KEY_SPAN_BURST,
    });
    const metrics = new CollectorMetrics();
    const consumer = createIngestConsumer({ db, maxQueuedSpans: env.OTLP_MAX_QUEUE_SPANS, pricer, rateLimiter, metrics });
    const receiver = createOtlpHttpReceiver({
      consumer,
      verifier,
      maxBodyBytes: env.OTLP_MAX_BODY_BYTES,
      isHealthy: async () => (await db.pool.query("SELECT 1"), true),
      log,
      metrics,
    });
    const port = await listen(receiver, env.OTLP_HTTP_PORT, env.HOST);
    collectorUrl = `http://localhost:${port}`;
    const grpc = await startOtlpGrpcReceiver({ consumer, verifier, maxBodyBytes: env.OTLP_MAX_BODY_BYTES, log, metrics, port: env.OTLP_GRPC_PORT, host: env.HOST });
    log(`OTLP/gRPC collector on :${grpc.port}`);
    if (env.INFERLEDGER_METRICS_PORT !== undefined) {
      const metricsServer = createMetricsServer(metrics);
      const metricsPort = await listen(metricsServer, env.INFERLEDGER_METRICS_PORT, env.INFERLEDGER_METRICS_HOST);
      metricsUrl = `http://${env.INFERLEDGER_METRICS_HOST.includes(":") ? `[${env.INFERLEDGER_METRICS_HOST}]` : env.INFERLEDGER_METRICS_HOST}:${metricsPort}/metrics`;
      log(`collector metrics on ${metricsUrl}`);
      closers.push(() => close(metricsServer));
    }
    // Shutdown order: stop accepting, then drain what was accepted (acknowledged data is already durable).
    closers.push(async () => {
      await Promise.all([close(receiver), grpc.close()]);
      await consumer.drain();
      pricer.close();
      verifier.close();
    });
  }
  if (role === "all" || role === "web") {
    const web = await startWebServer({ port: env.PORT, host: env.HOST, log });
    webUrl = role === "all" && env.INFERLEDGER_PUBLIC_URL ? publicUrl(env) : `http://localhost:${web.port}`;
    closers.push(web.close);
  }
  if (role === "all" || role === "worker") {
    const worker = startWorker({ db, log, jobs: [...DEFAULT_JOBS, embedded ? embeddedMaintenanceJob(db) : serverMaintenanceJob(db, log)] });
    closers.push(worker.stop);
  }
  if (isDemoEnabled(env) && role === "all" && collectorUrl) {
    const setup = await ensureDemo({ db, auth: getAuth(), password: env.INFERLEDGER_DEMO_PASSWORD });
    demo = { email: setup.email, orgSlug: setup.orgSlug, ingestKey: setup.ingestKey, password: setup.newPassword };
    const traffic = await runDemoTraffic({
      endpoint: collectorUrl,
      ingestKey: setup.ingestKey,
      backfillFromMs: Math.max(setup.lastSpanAtMs ?? 0, Date.now() - env.INFERLEDGER_DEMO_BACKFILL_DAYS * 86_400_000),
      liveIntervalMs: 15_000,
      log,
    });
    closers.push(traffic.stop); // closers run in reverse: traffic stops first, before the collector closes
    log(`demo org "${setup.orgSlug}": sign in as ${setup.email} with password ${setup.newPassword ?? "(printed at first start; set INFERLEDGER_DEMO_PASSWORD to choose one)"}`);
  }

  let stopping: Promise<void> | null = null;
  return {
    webUrl,
    collectorUrl,
    metricsUrl,
    db,
    demo,
    stop: () => {
      stopping ??= (async () => {
        for (const closer of closers.reverse()) await closer().catch((e) => log(`shutdown: ${(e as Error).message}`));
        await db.close();
        setDb(undefined);
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}
