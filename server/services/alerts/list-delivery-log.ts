import { z } from "zod";
import { ATTEMPT_OUTCOMES, decodeLogCursor, deliverySubject, encodeLogCursor, type AttemptOutcome } from "../../domain/alerts/delivery-log.ts";
import { ValidationError } from "../../errors.ts";
import { requirePermission, type OrgContext } from "../org-context.ts";

export const DeliveryLogInputSchema = z.object({
  channelId: z.string().min(1).max(100).optional(),
  outcome: z.enum(ATTEMPT_OUTCOMES).optional(),
  cursor: z.string().max(200).nullish(),
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type DeliveryLogInput = z.input<typeof DeliveryLogInputSchema>;

export type DeliveryLogItem = {
  id: string; attempt: number; attemptedAt: Date; httpStatus: number | null; error: string | null; durationMs: number;
  outcome: AttemptOutcome; kind: string; channelId: string; channelName: string | null; channelKind: string | null; subject: string;
};

/**
 * The org's delivery log, newest first, keyset-paginated on (attempted_at, id), optionally one channel or outcome.
 * Only the channel's name and kind are read — never its (encrypted) URL or signing secret.
 */
export async function listDeliveryLog({ ctx, input }: { ctx: OrgContext; input: DeliveryLogInput }): Promise<{ items: DeliveryLogItem[]; nextCursor: string | null }> {
  requirePermission(ctx, "alerts:read");
  const q = DeliveryLogInputSchema.parse(input);
  const cursor = q.cursor ? decodeLogCursor(q.cursor) : null;
  if (q.cursor && !cursor) throw new ValidationError("invalid delivery log cursor");
  // Every joined table is matched on org_id too: a row of another org can never be joined in, even by a bad id.
  const { rows } = await ctx.db.pool.query(
    `SELECT a.id, a.attempt, a.attempted_at, a.http_status, a.error, a.duration_ms, a.outcome, a.channel_id,
       d.kind, d.event_id, c.name AS channel_name, c.kind AS channel_kind, e.title AS event_title, r.name AS rule_name
     FROM alert_delivery_attempts a
     JOIN alert_deliveries d ON d.id = a.delivery_id AND d.org_id = a.org_id
     LEFT JOIN alert_channels c ON c.id = a.channel_id AND c.org_id = a.org_id
     LEFT JOIN alert_events e ON e.id = d.event_id AND e.org_id = a.org_id
     LEFT JOIN alert_rules r ON r.id = coalesce(d.rule_id, e.rule_id) AND r.org_id = a.org_id
     WHERE a.org_id = $1
       AND ($2::text IS NULL OR a.channel_id = $2)
       AND ($3::text IS NULL OR a.outcome = $3)
       AND ($4::timestamptz IS NULL OR (a.attempted_at, a.id) < ($4::timestamptz, $5::text))
     ORDER BY a.attempted_at DESC, a.id DESC
     LIMIT $6`,
    [ctx.org.id, q.channelId ?? null, q.outcome ?? null, cursor?.attemptedAt ?? null, cursor?.id ?? "", q.pageSize + 1],
  );
  const page = rows.slice(0, q.pageSize);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id, attempt: r.attempt, attemptedAt: r.attempted_at, httpStatus: r.http_status, error: r.error, durationMs: r.duration_ms,
      outcome: r.outcome, kind: r.kind, channelId: r.channel_id, channelName: r.channel_name, channelKind: r.channel_kind,
      subject: deliverySubject({ kind: r.kind, eventId: r.event_id, eventTitle: r.event_title, ruleName: r.rule_name }),
    })),
    nextCursor: rows.length > q.pageSize && last ? encodeLogCursor({ attemptedAt: last.attempted_at, id: last.id }) : null,
  };
}
