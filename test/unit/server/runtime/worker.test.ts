import { describe, expect, it } from "vitest";
import type { Db } from "../../../../server/db/client.ts";
import { startWorker } from "../../../../server/runtime/worker.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("worker shutdown", () => {
  it("a job working through a long backlog stops between batches on stop(), instead of draining it all", async () => {
    let batches = 0;
    let running = 0;
    let maxRunning = 0;
    const backlog = 1_000_000; // batches; at 5 ms each, draining it would take over an hour
    const worker = startWorker({
      db: {} as Db,
      log: () => undefined,
      jobs: [{
        name: "settle",
        intervalMs: 10,
        run: async (_db, isStopping) => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          while (!isStopping() && batches < backlog) {
            await sleep(5);
            batches++;
          }
          running--;
        },
      }],
    });
    await sleep(100);
    const t0 = Date.now();
    await worker.stop();
    expect(Date.now() - t0).toBeLessThan(100); // at most the batch in progress
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(backlog);
    expect(maxRunning).toBe(1); // a job never overlaps itself
    const after = batches;
    await sleep(50);
    expect(batches).toBe(after); // nothing runs after stop
  });
});

describe("drainFor: each worker stage has a time budget", () => {
  it("stops an endless backlog at the budget, so the next stage (rollups) still runs", async () => {
    const { drainFor } = await import("../../../../server/runtime/worker.ts");
    let now = 0;
    const clock = () => now;
    let settled = 0;
    const endlessSettle = async () => { now += 100; settled += 500; return 500; }; // ingest refills the queue forever
    let rolledUp = 0;
    const rollups = async () => { now += 10; if (rolledUp >= 3) return 0; rolledUp++; return 1; };
    expect(await drainFor(endlessSettle, () => false, 1_000, clock)).toBe(5_000);
    expect(settled).toBe(5_000);
    expect(await drainFor(rollups, () => false, 1_000, clock)).toBe(3);
  });

  it("ends at once when a batch reports nothing left, or when the worker stops", async () => {
    const { drainFor } = await import("../../../../server/runtime/worker.ts");
    let calls = 0;
    expect(await drainFor(async () => { calls++; return 0; }, () => false, 1_000)).toBe(0);
    expect(calls).toBe(1);
    expect(await drainFor(async () => 1, () => true, 1_000)).toBe(0);
  });
});
