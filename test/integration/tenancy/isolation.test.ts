import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeyVerifier } from "../../../server/services/api-keys/verify-api-key.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";

describe("tenant isolation: two orgs, members and keys see only their own org", () => {
  const db = testDb();
  let a: Awaited<ReturnType<typeof createTestOrg>>;
  let b: Awaited<ReturnType<typeof createTestOrg>>;

  beforeAll(async () => {
    a = await createTestOrg(db);
    b = await createTestOrg(db);
  });
  afterAll(closeTestDb);

  it("lists only the caller's own orgs", async () => {
    const orgs = await callerFor(db, a.user).orgs.list();
    expect(orgs.map((o) => o.id)).toEqual([a.org.id]);
  });

  it("answers NOT_FOUND (not FORBIDDEN) for every org-scoped procedure on another org's slug", async () => {
    const asA = callerFor(db, a.user);
    const onB = { orgSlug: b.org.slug };
    const attempts: [string, () => Promise<unknown>][] = [
      ["orgs.get", () => asA.orgs.get(onB)],
      ["members.list", () => asA.members.list(onB)],
      ["members.add", () => asA.members.add({ ...onB, email: "x@test.local", role: "viewer" })],
      ["members.updateRole", () => asA.members.updateRole({ ...onB, memberId: "m", role: "viewer" })],
      ["members.remove", () => asA.members.remove({ ...onB, memberId: "m" })],
      ["apiKeys.list", () => asA.apiKeys.list(onB)],
      ["apiKeys.create", () => asA.apiKeys.create({ ...onB, kind: "ingest", name: "steal" })],
      ["apiKeys.revoke", () => asA.apiKeys.revoke({ ...onB, keyId: b.ingestKey.id })],
      ["costs.overview", () => asA.costs.overview({ ...onB, period: "30d" })],
      ["costs.breakdown", () => asA.costs.breakdown({ ...onB, period: "30d", dimension: "feature" })],
      ["costs.promptGrowth", () => asA.costs.promptGrowth(onB)],
      ["costs.featureDetail", () => asA.costs.featureDetail({ ...onB, period: "30d", feature: "support-bot" })],
      ["costs.pricingReview", () => asA.costs.pricingReview(onB)],
      ["costs.featureTasksCsv", () => asA.costs.featureTasksCsv({ ...onB, period: "30d", feature: "support-bot" })],
      ["gpuPools.usage", () => asA.gpuPools.usage({ ...onB, period: "7d" })],
      ["prices.overrides", () => asA.prices.overrides(onB)],
      ["prices.catalog", () => asA.prices.catalog({ ...onB, query: { search: "gpt" } })],
      ["prices.createOverride", () => asA.prices.createOverride({ ...onB, override: { provider: "openai", model: "gpt-4o", discountPercent: "99", validFrom: new Date(0) } })],
      ["prices.deleteOverride", () => asA.prices.deleteOverride({ ...onB, id: "x" })],
      ["alerts.rules", () => asA.alerts.rules(onB)],
      ["alerts.createRule", () => asA.alerts.createRule({ ...onB, rule: { type: "waste" } })],
      ["alerts.deleteRule", () => asA.alerts.deleteRule({ ...onB, id: "x" })],
      ["alerts.updateRule", () => asA.alerts.updateRule({ ...onB, id: "x", rule: { enabled: false } })],
      ["alerts.testSend", () => asA.alerts.testSend({ ...onB, channelId: "x" })],
      ["alerts.deleteChannel", () => asA.alerts.deleteChannel({ ...onB, id: "x" })],
      ["alerts.enableChannel", () => asA.alerts.enableChannel({ ...onB, id: "x" })],
      ["alerts.channels", () => asA.alerts.channels(onB)],
      ["alerts.createChannel", () => asA.alerts.createChannel({ ...onB, channel: { kind: "slack", name: "x", url: "https://hooks.slack.com/services/x" } })],
      ["alerts.events", () => asA.alerts.events(onB)],
      ["alerts.deliveryLog", () => asA.alerts.deliveryLog(onB)],
      ["alerts.evaluateNow", () => asA.alerts.evaluateNow(onB)],
      ["tasks.list", () => asA.tasks.list({ ...onB })],
      ["tasks.get", () => asA.tasks.get({ ...onB, taskKey: "t" })],
      ["gpuPools.list", () => asA.gpuPools.list(onB)],
      ["gpuPools.create", () => asA.gpuPools.create({ ...onB, pool: { name: "p", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2" } })],
      ["gpuPools.update", () => asA.gpuPools.update({ ...onB, id: "x", pool: { name: "p", gpuType: "h100-sxm", gpuCount: 1, usdPerGpuHour: "2" } })],
      ["gpuPools.delete", () => asA.gpuPools.delete({ ...onB, id: "x" })],
      ["gpuPools.scrapeTargets", () => asA.gpuPools.scrapeTargets(onB)],
      ["gpuPools.createScrapeTarget", () => asA.gpuPools.createScrapeTarget({ ...onB, target: { url: "http://127.0.0.1:9400/metrics" } })],
      ["gpuPools.deleteScrapeTarget", () => asA.gpuPools.deleteScrapeTarget({ ...onB, id: "x" })],
      ["gpuPools.calibration", () => asA.gpuPools.calibration({ ...onB, id: "x" })],
      ["whatif.traffic", () => asA.whatif.traffic({ ...onB, period: "7d" })],
      ["whatif.run", () => asA.whatif.run({ ...onB, period: "7d", scenarios: [] })],
      ["whatif.scenarios", () => asA.whatif.scenarios(onB)],
      ["whatif.saveScenario", () => asA.whatif.saveScenario({ ...onB, name: "steal", scenarios: [{ kind: "trim-input", match: {}, reductionPct: 10 }] })],
      ["whatif.deleteScenario", () => asA.whatif.deleteScenario({ ...onB, id: "x" })],
    ];
    for (const [name, call] of attempts) {
      await expect(call(), name).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const keys = await callerFor(db, b.user).apiKeys.list({ orgSlug: b.org.slug });
    expect(keys.find((k) => k.id === b.ingestKey.id)?.revokedAt).toBeNull();
  });

  it("cannot act on another org's rows through its own org (ids from org B are NOT_FOUND in org A)", async () => {
    const asA = callerFor(db, a.user);
    const bMember = await db.prisma.member.findFirstOrThrow({ where: { organizationId: b.org.id } });
    await expect(asA.apiKeys.revoke({ orgSlug: a.org.slug, keyId: b.ingestKey.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.members.remove({ orgSlug: a.org.slug, memberId: bMember.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.members.updateRole({ orgSlug: a.org.slug, memberId: bMember.id, role: "viewer" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.prisma.member.findUnique({ where: { id: bMember.id } })).not.toBeNull();
  });

  it("cannot read, change or delete another org's GPU pools or tasks through its own org", async () => {
    const pool = await callerFor(db, b.user).gpuPools.create({ orgSlug: b.org.slug, pool: { name: "b-pool", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2.49" } });
    const asA = callerFor(db, a.user);
    const pool2 = { name: "hijack", gpuType: "a10g", gpuCount: 1, usdPerGpuHour: "0.01" };
    await expect(asA.gpuPools.update({ orgSlug: a.org.slug, id: pool.id, pool: pool2 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.gpuPools.delete({ orgSlug: a.org.slug, id: pool.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.gpuPools.calibration({ orgSlug: a.org.slug, id: pool.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await asA.gpuPools.list({ orgSlug: a.org.slug })).toEqual([]);
    await db.pool.query(
      `INSERT INTO tasks (org_id, task_key, outcome, start_time, end_time, calls, failed_calls, retry_calls, unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, is_loop, trace_ids)
       VALUES ($1, 'b-secret-task', 'success', now(), now(), 1, 0, 0, 0, 1, 1, 1, 0, 0, false, ARRAY['t'])`,
      [b.org.id],
    );
    await expect(asA.tasks.get({ orgSlug: a.org.slug, taskKey: "b-secret-task" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await asA.tasks.list({ orgSlug: a.org.slug })).total).toBe(0);
    expect((await callerFor(db, b.user).tasks.list({ orgSlug: b.org.slug })).total).toBe(1);
    const overview = await asA.costs.overview({ orgSlug: a.org.slug, period: "30d" });
    expect(overview.current.tasks).toBe(0);
  });

  it("cannot list, overwrite or delete another org's saved what-if scenarios through its own org", async () => {
    const saved = await callerFor(db, b.user).whatif.saveScenario({ orgSlug: b.org.slug, name: "b plan", scenarios: [{ kind: "trim-input", match: {}, reductionPct: 10 }] });
    const asA = callerFor(db, a.user);
    await expect(asA.whatif.saveScenario({ orgSlug: a.org.slug, id: saved.id, name: "hijack", scenarios: [{ kind: "trim-input", match: {}, reductionPct: 90 }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asA.whatif.deleteScenario({ orgSlug: a.org.slug, id: saved.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await asA.whatif.scenarios({ orgSlug: a.org.slug })).toEqual([]);
    expect((await asA.whatif.traffic({ orgSlug: a.org.slug, period: "30d" })).columns.group).toEqual([]);
    expect((await callerFor(db, b.user).whatif.scenarios({ orgSlug: b.org.slug })).map((s) => s.name)).toEqual(["b plan"]);
  });

  it("never lists another org's delivery attempts, not even when asked for its channel", async () => {
    const slack = await startFakeSlack();
    try {
      const asB = callerFor(db, b.user);
      const channel = await asB.alerts.createChannel({ orgSlug: b.org.slug, channel: { kind: "slack", name: "#b-log", url: slack.url } });
      await asB.alerts.testSend({ orgSlug: b.org.slug, channelId: channel.id });
      expect((await asB.alerts.deliveryLog({ orgSlug: b.org.slug })).items).toHaveLength(1);
      const asA = callerFor(db, a.user);
      expect((await asA.alerts.deliveryLog({ orgSlug: a.org.slug })).items).toEqual([]);
      expect((await asA.alerts.deliveryLog({ orgSlug: a.org.slug, channelId: channel.id })).items).toEqual([]);
    } finally {
      await slack.close();
    }
  });

  it("exports only the org's own tasks of a feature as CSV", async () => {
    await db.pool.query(
      `INSERT INTO tasks (org_id, task_key, feature, outcome, start_time, end_time, calls, failed_calls, retry_calls, unpriced_calls, input_tokens, output_tokens, cost_usd, retry_cost_usd, failed_cost_usd, is_loop, trace_ids)
       VALUES ($1, 'b-csv-task', 'shared-name', 'success', now() - interval '1 hour', now() - interval '1 hour', 1, 0, 0, 0, 1, 1, 1, 0, 0, false, ARRAY['t'])`,
      [b.org.id],
    );
    const asA = callerFor(db, a.user);
    const own = await asA.costs.featureTasksCsv({ orgSlug: a.org.slug, period: "30d", feature: "shared-name" });
    expect(own.rows).toBe(0);
    expect(own.csv).not.toContain("b-csv-task");
    const theirs = await callerFor(db, b.user).costs.featureTasksCsv({ orgSlug: b.org.slug, period: "30d", feature: "shared-name" });
    expect(theirs.csv).toContain("b-csv-task");
  });

  it("lists only the org's own API keys, prefixes only", async () => {
    const keys = await callerFor(db, a.user).apiKeys.list({ orgSlug: a.org.slug });
    expect(keys.map((k) => k.id).sort()).toEqual([a.ingestKey.id, a.readKey.id].sort());
    expect(JSON.stringify(keys)).not.toContain(a.ingestKey.key);
  });

  it("each ingest key resolves to its own org; read keys do not ingest; revoked keys stop at once", async () => {
    const verifier = new ApiKeyVerifier(db);
    expect(await verifier.verify(a.ingestKey.key, "ingest")).toMatchObject({ orgId: a.org.id });
    expect(await verifier.verify(b.ingestKey.key, "ingest")).toMatchObject({ orgId: b.org.id });
    expect(await verifier.verify(a.readKey.key, "ingest")).toBeNull();
    expect(await verifier.verify(a.ingestKey.key.slice(0, -2) + "xx", "ingest")).toBeNull();
    await callerFor(db, a.user).apiKeys.revoke({ orgSlug: a.org.slug, keyId: a.ingestKey.id });
    expect(await verifier.verify(a.ingestKey.key, "ingest")).toBeNull();
    expect(await verifier.verify(b.ingestKey.key, "ingest")).toMatchObject({ orgId: b.org.id });
    verifier.close();
  });

  it("rejects unauthenticated callers", async () => {
    await expect(callerFor(db, null).orgs.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
