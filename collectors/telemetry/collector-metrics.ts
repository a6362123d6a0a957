import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { CollectorError } from "../errors.ts";
import type { ExportResult, OtlpConsumer } from "../types.ts";
import type { BatchObserver } from "../exporters/batch-writer.ts";

// Seconds. Dense around the 250 ms ingest latency target, so its percentile can be read off the buckets.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2, 5, 10];
const BATCH_ROW_BUCKETS = [1, 16, 64, 256, 512, 1024, 2048, 4096, 8192];

/**
 * The collector's own telemetry in Prometheus form (what the OpenTelemetry Collector exposes on :8888): how many
 * requests and items came in and how they ended, where an acknowledged request's time went (waiting for a batch vs.
 * the batch's transaction), the in-memory queue, and Node's own figures (event-loop delay, GC pauses, heap).
 * No label names an org, key or anything a tenant sent: the figures are the operator's, summed over tenants.
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: "inferledger_collector_requests_total",
    help: "Export requests by signal and outcome: ok, partial, or the HTTP status of the error (also those refused before decoding: 401, 413, 415).",
    labelNames: ["signal", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: "inferledger_collector_request_duration_seconds",
    help: "From a decoded-body request entering the consumer until its items are durable (or it failed), in seconds.",
    labelNames: ["signal"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly rejectedItems = new Counter({
    name: "inferledger_collector_rejected_items_total",
    help: "Spans or metric points refused as invalid inside otherwise accepted requests (OTLP partial success).",
    labelNames: ["signal"] as const,
    registers: [this.registry],
  });
  private readonly queueWaitSeconds = new Histogram({
    name: "inferledger_collector_batch_queue_wait_seconds",
    help: "Per request: from its rows entering the writer's queue until the transaction holding them began, in seconds.",
    labelNames: ["writer"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly flushSeconds = new Histogram({
    name: "inferledger_collector_batch_flush_seconds",
    help: "One coalesced batch's database transaction, begin to commit, in seconds.",
    labelNames: ["writer", "result"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchRows = new Histogram({
    name: "inferledger_collector_batch_rows",
    help: "Rows (spans or GPU samples) per coalesced batch.",
    labelNames: ["writer"] as const,
    buckets: BATCH_ROW_BUCKETS,
    registers: [this.registry],
  });
  private readonly queued = new Gauge({
    name: "inferledger_collector_queued_items",
    help: "Rows waiting or being written, per writer (requests beyond the bound get 429).",
    labelNames: ["writer"] as const,
    registers: [this.registry],
    collect: () => {
      for (const [writer, read] of this.queueReaders) this.queued.set({ writer }, read());
    },
  });
  private readonly queueReaders = new Map<string, () => number>();

  constructor(options: { nodeRuntime?: boolean } = {}) {
    // Event-loop delay percentiles, GC pause histogram by kind, heap spaces, RSS, open handles.
    if (options.nodeRuntime ?? true) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** The observer a BatchWriter reports each flush to, named `writer` ("spans", "gpu_samples"). */
  batchObserver(writer: string, queuedRows: () => number): BatchObserver {
    this.queueReaders.set(writer, queuedRows);
    return {
      onFlush: ({ rows, flushSeconds, ok, queueWaitSeconds }) => {
        this.batchRows.observe({ writer }, rows);
        this.flushSeconds.observe({ writer, result: ok ? "ok" : "error" }, flushSeconds);
        for (const wait of queueWaitSeconds) this.queueWaitSeconds.observe({ writer }, wait);
      },
    };
  }

  /** The same consumer, counting and timing every request it handles. */
  instrument<C extends OtlpConsumer>(consumer: C): C {
    const consume: OtlpConsumer["consume"] = async (input) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result: ExportResult = await consumer.consume(input);
        this.requests.inc({ signal: input.signal, outcome: result.rejected > 0 ? "partial" : "ok" });
        if (result.rejected > 0) this.rejectedItems.inc({ signal: input.signal }, result.rejected);
        this.requestSeconds.observe({ signal: input.signal }, seconds());
        return result;
      } catch (error) {
        this.requests.inc({ signal: input.signal, outcome: error instanceof CollectorError ? String(error.httpStatus) : "error" });
        this.requestSeconds.observe({ signal: input.signal }, seconds());
        throw error;
      }
    };
    return { ...consumer, consume };
  }

  /** A request a receiver refused before the consumer saw it (missing key, too large, wrong content type). */
  refused(signal: "traces" | "metrics", httpStatus: number): void {
    this.requests.inc({ signal, outcome: String(httpStatus) });
  }

  /** Prometheus text exposition of everything above. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
