import cluster, { type Worker } from "node:cluster";
import path from "node:path";
import { AggregatorRegistry } from "prom-client";
import type { KeyRateLimiter } from "../rate-limit/key-rate-limiter.ts";
import type { MetricsSource } from "../telemetry/metrics-server.ts";
import { answerRateRequest } from "./ipc-rate-limiter.ts";
import { COLLECTOR_STOP, isReadyMessage } from "./messages.ts";

const CLI = path.resolve(import.meta.dirname, "../../bin/inferledger.mjs");
const RESPAWN_DELAY_MS = 1_000;

export type CollectorCluster = {
  httpPort: number;
  grpcPort: number;
  /** Prometheus text of every process's collector metrics, summed (prom-client's AggregatorRegistry). */
  metrics: MetricsSource;
  /** Asks every process to stop accepting and drain, and waits for them to exit. */
  close: () => Promise<void>;
};

/**
 * The collector as `processes` processes on the same ports (node:cluster: the primary accepts connections and hands
 * them round-robin to the processes), so decoding and writing use more than one core: a single collector thread
 * was the limit at ~32k spans/s on two cores (bench/RESULTS.md). The primary decodes nothing: it starts the
 * processes, holds the per-key token buckets they all take from (ipc-rate-limiter.ts), aggregates their metrics,
 * replaces a process that dies, and stops them (each drains what it acknowledged, which is durable already).
 */
export async function startCollectorCluster(options: {
  processes: number;
  limiter: KeyRateLimiter;
  log: (line: string) => void;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}): Promise<CollectorCluster> {
  const { log } = options;
  // Heap flags (--max-old-space-size, --max-semi-space-size) apply to every process; NODE_OPTIONS passes by env.
  cluster.setupPrimary({ exec: CLI, args: ["serve", "--role", "collector"], execArgv: process.execArgv.filter((a) => a.startsWith("--max-")) });
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const live = new Set<Worker>();
  const respawnTimers = new Set<NodeJS.Timeout>();

  const onMessage = (worker: Worker, message: unknown) => {
    const reply = answerRateRequest(options.limiter, message);
    if (reply && worker.isConnected()) worker.send(reply);
  };
  cluster.on("message", onMessage);

  const fork = (slot: number): Promise<{ httpPort: number; grpcPort: number }> => {
    const worker = cluster.fork({ INFERLEDGER_COLLECTOR_PROCESS: String(slot) });
    live.add(worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on("message", (message: unknown) => {
        if (!isReadyMessage(message)) return;
        ready = true;
        resolve({ httpPort: message.httpPort, grpcPort: message.grpcPort });
      });
      worker.once("exit", (code, signal) => {
        live.delete(worker);
        if (!ready) return reject(new Error(`collector process ${slot} exited (${signal ?? `code ${code}`}) before it was ready`));
        if (stopping) return;
        log(`collector process ${slot} exited (${signal ?? `code ${code}`}); starting another in ${RESPAWN_DELAY_MS} ms`);
        const timer = setTimeout(() => {
          respawnTimers.delete(timer);
          if (!stopping) fork(slot).then(() => log(`collector process ${slot} replaced`), (error: Error) => log(error.message));
        }, RESPAWN_DELAY_MS);
        respawnTimers.add(timer);
      });
    });
  };

  const close = async () => {
    stopping = true;
    for (const timer of respawnTimers) clearTimeout(timer);
    await Promise.all([...live].map((worker) => stopWorker(worker, options.stopTimeoutMs ?? 60_000)));
    cluster.off("message", onMessage);
  };

  let ports: { httpPort: number; grpcPort: number }[];
  try {
    ports = await withTimeout(Promise.all(Array.from({ length: options.processes }, (_, i) => fork(i + 1))), options.startTimeoutMs ?? 60_000, "collector processes did not start in time");
  } catch (error) {
    await close();
    throw error;
  }
  log(`collector: ${options.processes} processes on the same ports (OTLP_COLLECTOR_PROCESSES)`);
  return {
    httpPort: ports[0]!.httpPort,
    grpcPort: ports[0]!.grpcPort,
    metrics: { exposition: async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() }) },
    close,
  };
}

function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => worker.process.kill("SIGKILL"), timeoutMs);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      if (worker.isConnected()) worker.send({ type: COLLECTOR_STOP });
      else worker.process.kill("SIGTERM");
    } catch {
      worker.process.kill("SIGTERM");
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
