import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";
import { getEnv } from "../../server/env.ts";
import type { IpcChannel } from "./ipc-rate-limiter.ts";
import { COLLECTOR_READY, isStopMessage, type ReadyMessage } from "./messages.ts";

/** The side of a collector cluster's process (collector-cluster.ts forks them; this code runs in each). */

/** True in a process the collector cluster forked. */
export const isCollectorClusterProcess = (): boolean => cluster.isWorker;

/** This process's slot (1…N), for its log lines. */
export const clusterProcessSlot = (): string => getEnv().INFERLEDGER_COLLECTOR_PROCESS ?? String(cluster.worker?.id ?? "?");

/** The IPC channel to the primary. A send after it closed is dropped by throwing (the caller admits, see IpcRateLimiter). */
export function primaryChannel(): IpcChannel {
  return {
    send: (message) => {
      if (!process.connected || !process.send) throw new Error("IPC channel to the collector primary is closed");
      process.send(message, undefined, {}, () => {}); // a callback, so a send that fails late is not an 'error' event
    },
    onMessage: (listener) => process.on("message", listener),
  };
}

/** Answers the primary's AggregatorRegistry with this registry's metrics. */
export function exposeMetricsToPrimary(registry: Registry): void {
  new AggregatorRegistry(); // installs prom-client's worker listener
  AggregatorRegistry.setRegistries([registry]);
}

export function reportReady(ports: { httpPort: number; grpcPort: number }): void {
  const message: ReadyMessage = { type: COLLECTOR_READY, ...ports };
  process.send?.(message);
}

/**
 * Resolves when the primary asks this process to stop, or is gone (IPC closed). SIGINT/SIGTERM are left to the
 * primary: a Ctrl-C reaches the whole process group, and the primary must not mistake a process stopping on its own
 * for a crash to replace.
 */
export function stopRequestedByPrimary(): Promise<string> {
  return new Promise((resolve) => {
    process.on("message", (message) => {
      if (isStopMessage(message)) resolve("stop requested by the collector primary");
    });
    process.once("disconnect", () => resolve("the collector primary is gone"));
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => {}); // the primary orchestrates
  });
}
