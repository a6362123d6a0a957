import { ALERT_TYPES, type AlertType } from "../../domain/alerts/rules.ts";
import { createChannel, createRule } from "../../services/alerts/alert-config.ts";
import { deliverOutbox } from "../../services/alerts/deliver-outbox.ts";
import { evaluateOrgAlerts } from "../../services/alerts/evaluate-org-alerts.ts";
import { resolveSystemOrgContext } from "../../services/orgs/memberships.ts";
import { stringFlag, UsageError, type ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";
import { withCliDb } from "../with-db.ts";

/** `alerts evaluate --org <id|slug> [--json]`: evaluate all rules now, deliver due notifications, print events. */
export async function alertsEvaluate(args: ParsedArgs, io: CommandIo): Promise<number> {
  const org = stringFlag(args, "org");
  if (!org) throw new UsageError("usage: inferledger alerts evaluate --org <orgId> [--json]");
  const result = await withCliDb(async (db) => {
    const ctx = await resolveSystemOrgContext({ db, orgIdOrSlug: org, name: "cli" });
    const report = await evaluateOrgAlerts({ ctx });
    const delivery = await deliverOutbox({ db });
    return { ...report, delivery };
  });
  if (args.flags.has("json")) io.out(`${JSON.stringify(result)}\n`);
  else {
    for (const f of result.fired) io.out(`FIRED     ${f.title}${f.monthlyImpactUsd ? ` ($${f.monthlyImpactUsd}/month)` : ""}\n`);
    for (const r of result.resolved) io.out(`RESOLVED  event ${r.eventId}\n`);
    io.out(`${result.fired.length} fired, ${result.resolved.length} resolved, ${result.stillOpen} still open; delivered ${result.delivery.sent}, retrying ${result.delivery.retried}, failed ${result.delivery.failed}\n`);
  }
  return 0;
}

/** `alerts create --org <id> --type <type> [--threshold N] [--budget-usd N] [--slack-webhook URL] [--json]`. */
export async function alertsCreate(args: ParsedArgs, io: CommandIo): Promise<number> {
  const org = stringFlag(args, "org");
  const type = stringFlag(args, "type");
  if (!org || !type) throw new UsageError(`usage: inferledger alerts create --org <orgId> --type ${ALERT_TYPES.join("|")} [--threshold N] [--budget-usd N] [--feature F] [--customer C] [--slack-webhook URL] [--json]`);
  if (!(ALERT_TYPES as readonly string[]).includes(type)) throw new UsageError(`unknown --type ${type}; use one of ${ALERT_TYPES.join(", ")}`);
  const config: Record<string, unknown> = {};
  const threshold = stringFlag(args, "threshold");
  if (threshold !== undefined) config.threshold = Number(threshold);
  const budget = stringFlag(args, "budget-usd");
  if (budget !== undefined) config.monthlyBudgetUsd = Number(budget);
  const feature = stringFlag(args, "feature");
  if (feature) config.feature = feature;
  const customer = stringFlag(args, "customer");
  if (customer) config.customerId = customer;
  const webhook = stringFlag(args, "slack-webhook");
  const result = await withCliDb(async (db) => {
    const ctx = await resolveSystemOrgContext({ db, orgIdOrSlug: org, name: "cli" });
    const channel = webhook ? await createChannel({ ctx, input: { kind: "slack", name: "slack (cli)", url: webhook } }) : null;
    const rule = await createRule({ ctx, input: { type: type as AlertType, config, channelId: channel?.id } });
    return { ruleId: rule.id, type: rule.type, config: rule.config, severity: rule.severity, channelId: channel?.id ?? null, channelUrl: channel?.urlHint ?? null };
  });
  io.out(args.flags.has("json") ? `${JSON.stringify(result)}\n` : `Created ${result.type} rule ${result.ruleId}${result.channelUrl ? ` → ${result.channelUrl}` : ""}\n`);
  return 0;
}
