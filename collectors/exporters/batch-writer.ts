import { overloaded, unavailable } from "../errors.ts";

export type BatchWriterSettings<Row> = {
  /** Durably stores rows (one transaction); resolves only when committed. */
  flush: (rows: Row[]) => Promise<void>;
  maxBatchRows: number;
  /** Rows waiting or being written, across all requests; above it new requests get 429. */
  maxQueuedRows: number;
  /** Parallel flushes (each holds one database connection). */
  concurrency: number;
  /** Told about every flush (self-telemetry: collector-metrics.ts). */
  observer?: BatchObserver;
};

export type BatchObserver = {
  /** `queueWaitSeconds`: one per request in the batch, from its write() until the flush began. */
  onFlush: (stats: { rows: number; flushSeconds: number; ok: boolean; queueWaitSeconds: number[] }) => void;
};

type Pending<Row> = { rows: Row[]; resolve: () => void; reject: (error: Error) => void; enqueuedAt: number };

/**
 * Coalesces rows of concurrent requests into large multi-row INSERTs (fewer transactions, far higher
 * throughput) while each request still waits for its own rows to be committed before it is acknowledged.
 * Memory is bounded by maxQueuedRows: beyond it callers get a retryable 429 instead of queueing.
 */
export class BatchWriter<Row> {
  private readonly queue: Pending<Row>[] = [];
  private queuedRows = 0;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly settings: BatchWriterSettings<Row>) {}

  get pendingRows(): number {
    return this.queuedRows;
  }

  write(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(unavailable("collector is shutting down", 5));
    if (this.queuedRows + rows.length > this.settings.maxQueuedRows && this.queuedRows > 0) {
      return Promise.reject(overloaded(`ingest queue full (${this.queuedRows} spans waiting); retry later`, 1));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject, enqueuedAt: performance.now() });
      this.queuedRows += rows.length;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.settings.concurrency && this.queue.length > 0) {
      const batch: Pending<Row>[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.rows.length <= this.settings.maxBatchRows)) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.rows.length;
      }
      this.inFlight++;
      void this.run(batch, size);
    }
  }

  private async run(batch: Pending<Row>[], size: number): Promise<void> {
    const startedAt = performance.now();
    let ok = false;
    try {
      await this.settings.flush(batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows));
      ok = true;
      for (const p of batch) p.resolve();
    } catch (error) {
      const retryable = unavailable(`storage unavailable (${describe(error)}); retry later`, 5);
      for (const p of batch) p.reject(retryable);
    } finally {
      this.settings.observer?.onFlush({
        rows: size,
        flushSeconds: (performance.now() - startedAt) / 1000,
        ok,
        queueWaitSeconds: batch.map((p) => (startedAt - p.enqueuedAt) / 1000),
      });
      this.queuedRows -= size;
      this.inFlight--;
      this.pump();
      if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Stops accepting and waits until every accepted row is written (graceful shutdown). */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}` : (e.message ?? "error").slice(0, 120);
}
