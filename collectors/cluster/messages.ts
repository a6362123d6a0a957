/** Messages between a collector cluster's primary and its processes, besides the rate limiter's and prom-client's. */
export const COLLECTOR_READY = "inferledger:collector-ready";
export const COLLECTOR_STOP = "inferledger:collector-stop";

export type ReadyMessage = { type: typeof COLLECTOR_READY; httpPort: number; grpcPort: number };

export function isReadyMessage(message: unknown): message is ReadyMessage {
  const m = message as Partial<ReadyMessage> | null;
  return typeof m === "object" && m !== null && m.type === COLLECTOR_READY && typeof m.httpPort === "number" && typeof m.grpcPort === "number";
}

export function isStopMessage(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === COLLECTOR_STOP;
}
