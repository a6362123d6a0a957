import type pg from "pg";
import { copySpans } from "../../db/bulk/copy-spans.ts";
import { insertSpans, isSpanKeyConflict, type InsertSpansMode, type SpanRow } from "../../db/bulk/insert-spans.ts";
import type { InsertModePolicy } from "../../domain/ingest/insert-mode-policy.ts";
import { KEY_LOOKUP_PLANS_ONLY } from "../../db/key-lookup-plans.ts";
import { ingestSettlementLockSql, lockOrgsForIngestSettlement } from "../../db/settlement-lock.ts";
import { withTransaction } from "../../db/transaction.ts";
import { insertTasks } from "../../db/bulk/insert-tasks.ts";
import { textArray } from "../../db/bulk/pg-array.ts";
import { namedStatement } from "../../db/named-statement.ts";
import { markDirtyHours, markDirtyTraces } from "../../db/bulk/mark-dirty.ts";
import type { DeltaSpan } from "../../domain/costs/ingest-rollup-deltas.ts";
import { recordIngestRollupDeltas } from "../costs/rollup-deltas.ts";
import { planIngestSettlement, type IngestSettlementGroup, type IngestSettlementPlan } from "../../domain/settlement/settle-at-ingest.ts";

/**
 * The plan settings of an ingest transaction: only per-key index probes (key-lookup-plans.ts), and no sorts, so that
 * an ORDER BY only an index delivers picks that index (STORED_HISTORY_SQL, rollup-deltas.ts). The transaction's other
 * sorts (the dirty queues' lock order over unnested keys) have no alternative, so their plans do not change.
 */
export const INGEST_PLAN_SETTINGS = `${KEY_LOOKUP_PLANS_ONLY}; SET LOCAL enable_sort = off`;

/** How the batch's spans are written: `copy` and `fresh` fail on a span stored before, `dedupe` skips it. */
type StoreMode = InsertSpansMode | "copy";

const realServers = new WeakMap<pg.Pool, Promise<boolean>>();
/**
 * Whether the pool's server is a real PostgreSQL server, asked once per pool. Only a real one takes COPY FROM STDIN
 * (embedded PGlite's socket server hangs on it) and named statements per connection (PGlite has one session for all).
 */
function isRealServer(pool: pg.Pool): Promise<boolean> {
  let answer = realServers.get(pool);
  if (!answer) {
    answer = pool.query<{ pglite: boolean }>("SELECT version() LIKE '%PGlite%' AS pglite").then(
      (r) => r.rows[0]?.pglite === false,
      () => {
        realServers.delete(pool); // ask again next time (the database may be down right now)
        return false;
      },
    );
    realServers.set(pool, answer);
  }
  return answer;
}

export type StoreSpanBatchResult = { insertedSpans: number; settledTraces: number; dirtyTraces: number };

/**
 * Stores one ingest batch in a transaction of its own (see storeSpanBatch); resolves once it is committed.
 * With an insert policy, the spans are first inserted without ON CONFLICT (insert-spans.ts: one btree descent per
 * span instead of two); if one was stored before, the whole transaction is rolled back and run again deduplicating.
 */
export async function storeSpanBatchDurably(
  pool: pg.Pool,
  rows: SpanRow[],
  options: { loopCallThreshold: number; insertPolicy?: InsertModePolicy },
): Promise<StoreSpanBatchResult> {
  const preparedStatements = await isRealServer(pool);
  const attempt = (mode: StoreMode) => {
    // A fresh plan per attempt: storeSpanBatch drops groups from the plan it is given.
    const plan = planIngestSettlement(rows, options);
    // Every statement of the batch is a lookup by key; the plan settings and the settlement lock travel with
    // BEGIN, one round trip for all three.
    const lock = ingestSettlementLockSql(plan.groups.map((g) => g.orgId));
    const setup = lock ? `${INGEST_PLAN_SETTINGS}; ${lock}` : INGEST_PLAN_SETTINGS;
    return withTransaction(pool, (client) => storeSpanBatch(client, rows, { ...options, mode, preparedStatements }, { plan, orgsLocked: true }), { setup });
  };
  if (!options.insertPolicy || options.insertPolicy.next() === "dedupe") return attempt("dedupe");
  try {
    // Nothing of the batch stored before, as far as the policy knows: COPY where the server takes it (it fails like
    // the plain INSERT on a span stored before, and costs the database ~30 % less per span: copy-spans.ts).
    return await attempt(preparedStatements ? "copy" : "fresh");
  } catch (error) {
    if (!isSpanKeyConflict(error)) throw error;
    options.insertPolicy.conflicted();
    return attempt("dedupe");
  }
}

/**
 * Stores one ingest batch inside the caller's transaction, exactly once, and settles at once the traces it holds
 * whole; every other trace with a new span is marked for the settler (settle-dirty-traces.ts), as before.
 *
 * A group planned from the batch alone (settle-at-ingest.ts) is kept only if the database agrees it is complete:
 * 1. no span of its traces, and none carrying its task ids, was stored before (checked before the insert);
 * 2. every one of its spans is new (a re-sent or concurrently sent copy inserts nothing);
 * 3. every one of its tasks is new: the task rows are inserted with ON CONFLICT DO NOTHING, so of two batches that
 *    each hold part of one task (committed or not), only one can claim it.
 * The org's settlement lock (settlement-lock.ts, shared) keeps the worker's settler from settling the same traces
 * from a partial view while this transaction is open.
 * A group that fails a check falls back to the settler, which rebuilds its traces (and any task row claimed here)
 * from everything stored; the resolutions written with its spans are then overwritten. A part of a trace without
 * model calls claims nothing, so it never settles at ingest: the settler sees it together with the rest.
 */
export async function storeSpanBatch(
  client: pg.PoolClient,
  rows: SpanRow[],
  options: { loopCallThreshold: number; mode?: StoreMode; preparedStatements?: boolean },
  /** The batch's plan, when the caller made it and took its orgs' settlement locks already (storeSpanBatchDurably). */
  prepared?: { plan: IngestSettlementPlan; orgsLocked: true },
): Promise<StoreSpanBatchResult> {
  const plan = prepared?.plan ?? planIngestSettlement(rows, options);
  const preparedStatements = options.preparedStatements === true;
  const drop = (group: IngestSettlementGroup) => {
    for (const indexes of group.rowsByTrace.values()) for (const i of indexes) plan.resolutions[i] = null;
  };

  let groups = plan.groups;
  if (!prepared) await lockOrgsForIngestSettlement(client, groups.map((g) => g.orgId));
  if (groups.length > 0) {
    const stored = await groupsWithStoredHistory(client, groups, preparedStatements);
    for (const g of groups) if (stored.has(g)) drop(g);
    groups = groups.filter((g) => !stored.has(g));
  }

  const mode = options.mode ?? "dedupe";
  const inserted = mode === "copy" ? await copySpans(client, rows, plan.resolutions) : await insertSpans(client, rows, plan.resolutions, mode);
  if (inserted.length === 0) return { insertedSpans: 0, settledTraces: 0, dirtyTraces: 0 };
  // Per org, per trace id (ids keyed as they are: no composite key string per span).
  const newSpansPerTrace = new Map<string, Map<string, number>>();
  for (const k of inserted) {
    let perTrace = newSpansPerTrace.get(k.orgId);
    if (!perTrace) newSpansPerTrace.set(k.orgId, (perTrace = new Map()));
    perTrace.set(k.traceId, (perTrace.get(k.traceId) ?? 0) + 1);
  }

  const settledGroups = new Set<IngestSettlementGroup>();
  const complete = groups.filter((g) => {
    const perTrace = newSpansPerTrace.get(g.orgId);
    for (const [traceId, indexes] of g.rowsByTrace) if (perTrace?.get(traceId) !== indexes.length) return false;
    return true;
  });
  for (const [orgId, orgGroups] of groupByOrg(complete)) { // orgs in sorted order: one lock order for all writers
    const claimed = new Set(await insertTasks(client, orgId, orgGroups.flatMap((g) => g.tasks), "claim", { prepared: preparedStatements }));
    for (const g of orgGroups) if (g.tasks.every((t) => claimed.has(t.taskKey))) settledGroups.add(g);
  }
  const settledTraces = new Map<string, Set<string>>();
  for (const g of settledGroups) {
    let traces = settledTraces.get(g.orgId);
    if (!traces) settledTraces.set(g.orgId, (traces = new Set()));
    for (const traceId of g.traceIds) traces.add(traceId);
  }

  const dirty: { orgId: string; traceId: string }[] = [];
  for (const [orgId, perTrace] of newSpansPerTrace) { // once per trace
    const settledHere = settledTraces.get(orgId);
    for (const traceId of perTrace.keys()) if (!settledHere?.has(traceId)) dirty.push({ orgId, traceId });
  }
  await markDirtyTraces(client, dirty);

  // What was settled here goes to the rollups as deltas (rollup-deltas.ts): appended rows, no shared row to wait on.
  // An org whose GPU pools may serve one of the calls has its hours marked for a full recompute instead, as the
  // settler does; last, so those hour rows (shared with concurrent batches) stay locked only until the commit.
  const settledByOrg = groupByOrg(groups.filter((g) => settledGroups.has(g)));
  for (const [orgId, orgGroups] of settledByOrg) {
    const deltaSpans: DeltaSpan[] = [];
    for (const g of orgGroups) {
      for (const indexes of g.rowsByTrace.values()) {
        for (const i of indexes) deltaSpans.push({ span: rows[i]!.span, costUsd: rows[i]!.costUsd, resolution: plan.resolutions[i]! });
      }
    }
    if (await recordIngestRollupDeltas(client, orgId, deltaSpans, orgGroups.flatMap((g) => g.tasks), { prepared: preparedStatements })) continue;
    const hoursMs: number[] = [];
    for (const g of orgGroups) {
      for (const indexes of g.rowsByTrace.values()) for (const i of indexes) hoursMs.push(Number(rows[i]!.span.startTimeUnixNano / 1_000_000n));
      for (const t of g.tasks) hoursMs.push(t.startMs);
    }
    await markDirtyHours(client, orgId, hoursMs); // orgs in sorted order (groupByOrg): the shared lock order
  }
  let settledTraceCount = 0;
  for (const traces of settledTraces.values()) settledTraceCount += traces.size;
  return { insertedSpans: inserted.length, settledTraces: settledTraceCount, dirtyTraces: dirty.length };
}

// One index probe per id, whatever the planner's statistics say: a LIMIT 1 subquery per element cannot be turned into
// a join. (`WHERE EXISTS` can: on a fresh database whose statistics say the org has 219 spans, it became a materialized
// scan of all the org's spans per id, 32 s per batch in bench/soak.ts.) The ORDER BY is what only the primary key
// delivers without a sort, and INGEST_PLAN_SETTINGS turns sorts off: with statistics that say the org holds a row or
// two (a fresh database), the plan made without the values (a named statement's generic plan) otherwise walked the
// org's spans by start time, filtering on the trace id (test/integration/settlement/stored-history-plan.test.ts).
export const STORED_HISTORY_SQL = `SELECT 'trace' AS kind, t AS id FROM unnest($2::text[]) AS t,
    LATERAL (SELECT 1 FROM spans s WHERE s.org_id = $1 AND s.trace_id = t ORDER BY s.org_id, s.trace_id, s.span_id LIMIT 1) AS hit
  UNION ALL
  SELECT 'task', x FROM unnest($3::text[]) AS x,
    LATERAL (SELECT 1 FROM spans s WHERE s.org_id = $1 AND s.task_id = x LIMIT 1) AS hit`;

/** Groups of which a span is already stored: by trace id, or by one of their explicit task ids. */
async function groupsWithStoredHistory(client: pg.PoolClient, groups: IngestSettlementGroup[], prepared: boolean): Promise<Set<IngestSettlementGroup>> {
  const result = new Set<IngestSettlementGroup>();
  for (const [orgId, orgGroups] of groupByOrg(groups)) {
    const { rows } = await client.query<{ kind: "trace" | "task"; id: string }>(namedStatement(
      prepared,
      "stored_history",
      STORED_HISTORY_SQL,
      [orgId, textArray(orgGroups.flatMap((g) => g.traceIds)), textArray(orgGroups.flatMap((g) => g.taskIds))],
    ));
    if (rows.length === 0) continue;
    const storedTraces = new Set(rows.filter((r) => r.kind === "trace").map((r) => r.id));
    const storedTasks = new Set(rows.filter((r) => r.kind === "task").map((r) => r.id));
    for (const g of orgGroups) {
      if (g.traceIds.some((t) => storedTraces.has(t)) || g.taskIds.some((t) => storedTasks.has(t))) result.add(g);
    }
  }
  return result;
}

/** Groups per org, orgs in sorted order (concurrent batches then lock rows of several orgs in one order). */
function groupByOrg(groups: IngestSettlementGroup[]): Map<string, IngestSettlementGroup[]> {
  const byOrg = new Map<string, IngestSettlementGroup[]>();
  for (const g of groups) {
    const list = byOrg.get(g.orgId);
    if (list) list.push(g);
    else byOrg.set(g.orgId, [g]);
  }
  return new Map([...byOrg].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
