import type { Db } from "../../server/db/client.ts";
import { processDirtyHours } from "../../server/services/costs/recompute-rollups.ts";
import { settleDirtyTraces } from "../../server/services/settlement/settle-dirty-traces.ts";

/**
 * The worker's settle → roll-up cycle, repeated until nothing is left to do (pool-hour costs re-mark traces, which
 * re-mark hours). Traces are settled at once instead of after the worker's 2 s arrival delay.
 */
export async function runWorkerUntilIdle(db: Db, maxRounds = 10): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    let work = 0;
    for (let n; (n = await settleDirtyTraces({ db, nowMs: Date.now() + 60_000, limit: 2000 })) > 0; ) work += n;
    for (let n; (n = await processDirtyHours({ db, limit: 500 })) > 0; ) work += n;
    if (work === 0) return;
  }
  throw new Error(`the worker still had work after ${maxRounds} rounds`);
}
