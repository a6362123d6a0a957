import path from "node:path";
import { startCollectorCluster } from "../../collectors/cluster/collector-cluster.ts";
import { exposeMetricsToPrimary, isCollectorClusterProcess, primaryChannel, reportReady } from "../../collectors/cluster/cluster-process.ts";
import { IpcRateLimiter } from "../../collectors/cluster/ipc-rate-limiter.ts";
import { KeyRateLimiter, type KeyRateLimits } from "../../collectors/rate-limit/key-rate-limiter.ts";
import { CollectorMetrics } from "../../collectors/telemetry/collector-metrics.ts";
import { createMetricsServer, type MetricsSource } from "../../collectors/telemetry/metrics-server.ts";
import { createDb, type Db } from "../db/client.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded.ts";
import { setDb } from "../db/index.ts";
import { applyMigrations } from "../db/migrate.ts";
import { getEnv, isDemoEnabled, publicUrl } from "../env.ts";
import { startCollector } from "./collector.ts";
import { close, listen } from "./listen.ts";

// What a role does not run it does not load either (imports below are per role): better-auth alone is ~80 MB of RSS,
// which a collector process, of which a cluster runs several, does not need.
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

/**
 * Starts InferLedger: the database (embedded PGlite unless DATABASE_URL), migrations, the demo org, the OTLP
 * collector and the dashboard. Everything touching an embedded database must live in this one process; with a
 * PostgreSQL server the collector may run as several processes (OTLP_COLLECTOR_PROCESSES, collector-cluster.ts),
 * each of which runs this function again with the role "collector".
 */
export async function startInferLedger({ role, log }: { role: Role; log: (line: string) => void }): Promise<RunningInstance> {
  const env = getEnv();
  const inClusterProcess = isCollectorClusterProcess();
  let processes = env.OTLP_COLLECTOR_PROCESSES;
  if (processes > 1 && !env.DATABASE_URL) {
    log(`OTLP_COLLECTOR_PROCESSES=${processes} ignored: the embedded database lives in this one process (set DATABASE_URL)`);
    processes = 1;
  }
  let embedded: EmbeddedDatabase | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    const dataDir = path.resolve(env.INFERLEDGER_DATA_DIR);
    embedded = await startEmbeddedDatabase({ dataDir });
    url = embedded.url;
    log(`embedded PostgreSQL (PGlite) in ${dataDir}, serving the CLI at ${url}`);
  }
  // PGlite is one session: concurrent connections would interleave statements, so embedded mode uses one.
  // A cluster's collector process needs its flushes (OTLP_SPAN_FLUSH_CONCURRENCY), key and price lookups, health checks.
  const db = createDb({ url, maxConnections: embedded ? 1 : inClusterProcess ? 10 : 20 });
  setDb(db);
  if (!inClusterProcess) { // the cluster's primary migrated before it started its processes
    const migrations = await applyMigrations(db.pool);
    log(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already in place`);
  }

  const closers: (() => Promise<void>)[] = [];
  let webUrl: string | null = null;
  let collectorUrl: string | null = null;
  let metricsUrl: string | null = null;
  let demo: RunningInstance["demo"] = null;

  if (role === "all" || role === "collector") {
    const limits: KeyRateLimits = {
      requestsPerSec: env.OTLP_KEY_REQUESTS_PER_SEC,
      requestBurst: env.OTLP_KEY_REQUEST_BURST,
      spansPerSec: env.OTLP_KEY_SPANS_PER_SEC,
      spanBurst: env.OTLP_KEY_SPAN_BURST,
    };
    let metricsSource: MetricsSource;
    if (inClusterProcess) {
      // One of a collector cluster's processes: rate limits and /metrics are the primary's, the queue bound is shared.
      const metrics = new CollectorMetrics();
      exposeMetricsToPrimary(metrics.registry);
      const collector = await startCollector({ db, env, log, metrics, rateLimiter: new IpcRateLimiter(primaryChannel(), limits), maxQueuedSpans: Math.ceil(env.OTLP_MAX_QUEUE_SPANS / processes) });
      reportReady({ httpPort: collector.httpPort, grpcPort: collector.grpcPort });
      closers.push(collector.close);
      return runningInstance({ webUrl: null, collectorUrl: `http://localhost:${collector.httpPort}`, metricsUrl: null, db, demo: null }, closers, log, embedded);
    } else if (processes > 1) {
      const cluster = await startCollectorCluster({ processes, limiter: new KeyRateLimiter(limits), log });
      collectorUrl = `http://localhost:${cluster.httpPort}`;
      log(`OTLP/gRPC collector on :${cluster.grpcPort}`);
      metricsSource = cluster.metrics;
      closers.push(cluster.close);
    } else {
      const metrics = new CollectorMetrics();
      const collector = await startCollector({ db, env, log, metrics, rateLimiter: new KeyRateLimiter(limits), maxQueuedSpans: env.OTLP_MAX_QUEUE_SPANS });
      collectorUrl = `http://localhost:${collector.httpPort}`;
      log(`OTLP/gRPC collector on :${collector.grpcPort}`);
      metricsSource = metrics;
      closers.push(collector.close);
    }
    if (env.INFERLEDGER_METRICS_PORT !== undefined) {
      const metricsServer = createMetricsServer(metricsSource);
      const metricsPort = await listen(metricsServer, env.INFERLEDGER_METRICS_PORT, env.INFERLEDGER_METRICS_HOST);
      metricsUrl = `http://${env.INFERLEDGER_METRICS_HOST.includes(":") ? `[${env.INFERLEDGER_METRICS_HOST}]` : env.INFERLEDGER_METRICS_HOST}:${metricsPort}/metrics`;
      log(`collector metrics on ${metricsUrl}`);
      closers.push(() => close(metricsServer));
    }
  }
  if (role === "all" || role === "web") {
    const { startWebServer } = await import("./web-server.ts");
    const web = await startWebServer({ port: env.PORT, host: env.HOST, log });
    webUrl = role === "all" && env.INFERLEDGER_PUBLIC_URL ? publicUrl(env) : `http://localhost:${web.port}`;
    closers.push(web.close);
  }
  if (role === "all" || role === "worker") {
    const { DEFAULT_JOBS, embeddedMaintenanceJob, serverMaintenanceJob, startWorker } = await import("./worker.ts");
    const worker = startWorker({ db, log, jobs: [...DEFAULT_JOBS, embedded ? embeddedMaintenanceJob(db) : serverMaintenanceJob(db, log)] });
    closers.push(worker.stop);
  }
  if (isDemoEnabled(env) && role === "all" && collectorUrl) {
    const [{ getAuth }, { ensureDemo }, { runDemoTraffic }] = await Promise.all([import("../auth.ts"), import("../services/demo/ensure-demo.ts"), import("../../collectors/demo/run-demo-traffic.ts")]);
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

  return runningInstance({ webUrl, collectorUrl, metricsUrl, db, demo }, closers, log, embedded);
}

function runningInstance(
  urls: Omit<RunningInstance, "stop">,
  closers: (() => Promise<void>)[],
  log: (line: string) => void,
  embedded: EmbeddedDatabase | null,
): RunningInstance {
  let stopping: Promise<void> | null = null;
  return {
    ...urls,
    stop: () => {
      stopping ??= (async () => {
        for (const closer of closers.reverse()) await closer().catch((e) => log(`shutdown: ${(e as Error).message}`));
        await urls.db.close();
        setDb(undefined);
        await embedded?.stop();
      })();
      return stopping;
    },
  };
}
