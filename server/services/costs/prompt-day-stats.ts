import type pg from "pg";
import type { Db } from "../../db/client.ts";
import { withTransaction } from "../../db/transaction.ts";
import type { PromptDay } from "../../domain/costs/prompt-growth.ts";

const DAY_MS = 86_400_000;
/** Closed days kept in daily_prompt_stats: the default 35-day window with room for longer alert baselines. */
export const PROMPT_STATS_DAYS = 92;

const FEATURE_SQL = "coalesce(s.resolved_feature, s.feature, s.service_name, '')";
/**
 * Per UTC day × feature × prompt: calls, median input and system-prompt tokens, versions, most used provider/model.
 * From raw spans of org $1, for the day starts of the array `days`; $3 = one feature or null for all.
 */
const spanDaysSql = (days: string) => `
SELECT d.day, ${FEATURE_SQL} AS feature, s.prompt_name, count(*)::int AS calls,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY s.input_tokens) AS p50_input,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY s.prompt_system_tokens) AS p50_system,
  coalesce(array_agg(DISTINCT s.prompt_version) FILTER (WHERE s.prompt_version IS NOT NULL), '{}') AS versions,
  mode() WITHIN GROUP (ORDER BY s.provider) AS provider, mode() WITHIN GROUP (ORDER BY s.model) AS model
FROM unnest(${days}) AS d(day)
JOIN spans s ON s.org_id = $1 AND s.start_time >= d.day AND s.start_time < d.day + interval '1 day'
WHERE s.is_llm_call AND s.prompt_name IS NOT NULL AND ($3::text IS NULL OR ${FEATURE_SQL} = $3)
GROUP BY 1, 2, 3`;

export type PromptDayRow = PromptDay & { provider: string | null; model: string | null };

function dayStarts(fromMs: number, toMs: number): Date[] {
  const days: Date[] = [];
  for (let d = Math.floor(fromMs / DAY_MS) * DAY_MS; d <= toMs; d += DAY_MS) days.push(new Date(d));
  return days;
}

/**
 * The prompt days from `fromMs` through today: complete closed days from daily_prompt_stats, every other day (today,
 * a day whose hours are being recomputed, one not yet rolled up) from the raw spans — one statement either way.
 */
export async function readPromptDays(db: Db, orgId: string, fromMs: number, nowMs: number, feature: string | null): Promise<PromptDayRow[]> {
  const { rows } = await db.pool.query(
    `WITH done AS (SELECT day FROM prompt_stat_days WHERE org_id = $1 AND day = ANY($2::timestamptz[])),
     todo AS (SELECT array_agg(d) AS days FROM unnest($2::timestamptz[]) AS d WHERE d NOT IN (SELECT day FROM done))
     SELECT day, feature, prompt_name, calls, p50_input_tokens AS p50_input, p50_system_tokens AS p50_system, versions, provider, model
       FROM daily_prompt_stats WHERE org_id = $1 AND day IN (SELECT day FROM done) AND ($3::text IS NULL OR feature = $3)
     UNION ALL
     SELECT * FROM (${spanDaysSql("(SELECT days FROM todo)")}) live
     ORDER BY 1`,
    [orgId, dayStarts(fromMs, nowMs), feature],
  );
  return rows.map((r) => ({
    day: (r.day as Date).toISOString(), feature: r.feature, promptName: r.prompt_name, calls: r.calls,
    p50InputTokens: Number(r.p50_input ?? 0), p50SystemTokens: r.p50_system === null ? null : Number(r.p50_system),
    versions: r.versions ?? [], provider: r.provider, model: r.model,
  }));
}

/** A day's statistics are stale once any of its hours is rebuilt (late spans, settlement, repricing). */
export async function invalidatePromptDay(client: pg.PoolClient, orgId: string, hour: Date): Promise<void> {
  await client.query("DELETE FROM prompt_stat_days WHERE org_id = $1 AND day = date_trunc('day', $2::timestamptz, 'UTC')", [orgId, hour]);
}

/** Rebuilds one closed org-day and marks it complete, under the same org-day lock as the hour rebuilds. */
export async function computePromptDay(db: Db, orgId: string, day: Date): Promise<void> {
  await withTransaction(db.pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext(date_trunc('day', $2::timestamptz, 'UTC')::text))", [orgId, day]);
    await client.query("DELETE FROM daily_prompt_stats WHERE org_id = $1 AND day = $2", [orgId, day]);
    await client.query(
      `INSERT INTO daily_prompt_stats (org_id, day, feature, prompt_name, calls, p50_input_tokens, p50_system_tokens, versions, provider, model)
       SELECT $1, day, feature, prompt_name, calls, coalesce(p50_input, 0), p50_system, versions, provider, model FROM (${spanDaysSql("$2::timestamptz[]")}) x`,
      [orgId, [day], null],
    );
    await client.query(
      "INSERT INTO prompt_stat_days (org_id, day) VALUES ($1, $2) ON CONFLICT (org_id, day) DO UPDATE SET computed_at = excluded.computed_at",
      [orgId, day],
    );
  });
}

/**
 * Computes up to `limit` closed days (newest first) that have calls in the rollups but no complete prompt statistics.
 * Today is never marked: it is still open, and readers take it from the raw spans.
 */
export async function processPromptDays({ db, nowMs = Date.now(), limit = 10 }: { db: Db; nowMs?: number; limit?: number }): Promise<number> {
  const today = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS);
  const { rows } = await db.pool.query<{ org_id: string; day: Date }>(
    `SELECT DISTINCT r.org_id, r.day FROM daily_feature_rollups r
     WHERE r.day >= $1 AND r.day < $2
       AND NOT EXISTS (SELECT 1 FROM prompt_stat_days p WHERE p.org_id = r.org_id AND p.day = r.day)
     ORDER BY r.day DESC LIMIT $3`,
    [new Date(today.getTime() - PROMPT_STATS_DAYS * DAY_MS), today, limit],
  );
  for (const r of rows) await computePromptDay(db, r.org_id, r.day);
  return rows.length;
}
