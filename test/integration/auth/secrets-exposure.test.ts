import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as authRoute from "../../../app/api/auth/[...all]/route.ts";
import * as trpcRoute from "../../../app/api/trpc/[trpc]/route.ts";
import * as costsRoute from "../../../app/api/v1/costs/route.ts";
import { resetAuth } from "../../../server/auth.ts";
import { resetEnvCache } from "../../../server/env.ts";
import { hashApiKey } from "../../../server/services/api-keys/api-keys.ts";
import { deliverOutbox } from "../../../server/services/alerts/deliver-outbox.ts";
import { evaluateOrgAlerts } from "../../../server/services/alerts/evaluate-org-alerts.ts";
import { createOrg } from "../../../server/services/orgs/create-org.ts";
import { createDbPricer } from "../../../server/services/pricing/db-pricer.ts";
import { startTestCollector } from "../../helpers/collector.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { runWorkerUntilIdle } from "../../helpers/worker.ts";
import { startFakeSlack } from "../../helpers/fake-slack.ts";
import { httpClient, trpcData } from "../../helpers/http-session.ts";
import { serveRoutes } from "../../helpers/route-server.ts";

/**
 * API keys and Slack / webhook URLs go through every path that could echo them — creation, listing, use at the
 * collector and the read API, revocation, failed deliveries — over real HTTP, while everything the process
 * prints is captured. Apart from the one creation response that shows a new key (or signing secret) once, no
 * response and no log line may contain them.
 */
describe("API keys and webhook URLs never appear in logs or API responses", () => {
  const db = testDb();
  const printed: string[] = [];
  const responses: { what: string; body: string }[] = [];
  let server: Awaited<ReturnType<typeof serveRoutes>>;
  let collector: Awaited<ReturnType<typeof startTestCollector>>;
  let pricer: Awaited<ReturnType<typeof createDbPricer>>;
  const savedPublicUrl = process.env.INFERLEDGER_PUBLIC_URL;

  const record = async (what: string, res: Response) => {
    const body = await res.text();
    responses.push({ what, body: `${JSON.stringify([...res.headers])}\n${body}` });
    return { status: res.status, body };
  };

  beforeAll(async () => {
    // Everything printed, by any path: console, and raw writes to stdout/stderr.
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      const original = console[level].bind(console);
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
        original(...args);
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
    server = await serveRoutes({ "/api/trpc/": trpcRoute, "/api/auth/": authRoute, "/api/v1/costs": costsRoute });
    process.env.INFERLEDGER_PUBLIC_URL = server.url;
    resetEnvCache();
    resetAuth();
    pricer = await createDbPricer({ db, log: (l) => printed.push(l) });
    collector = await startTestCollector(db, { pricer, log: (l) => printed.push(l) });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    if (savedPublicUrl === undefined) delete process.env.INFERLEDGER_PUBLIC_URL;
    else process.env.INFERLEDGER_PUBLIC_URL = savedPublicUrl;
    resetEnvCache();
    resetAuth();
    pricer.close();
    await collector.stop();
    await server.close();
    await closeTestDb();
  });

  it("keys, Slack and webhook URLs stay secret through creation, use, revocation and failed deliveries", async () => {
    const page = { origin: server.url, "sec-fetch-site": "same-origin" };
    const client = httpClient(server.url);
    const email = `secrets-${crypto.randomBytes(4).toString("hex")}@test.local`;
    expect((await client.signUp(email, "secrets test password", page)).status).toBe(200);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const { slug: orgSlug } = await createOrg({ db, name: "Secrets Org", ownerUserId: user.id });

    // Keys are shown exactly once, in the creation response (not recorded: that is their purpose).
    const ingestKey = (await trpcData<{ key: string }>(await client.mutation("apiKeys.create", { orgSlug, kind: "ingest", name: "app" }, page))).key;
    const readKey = (await trpcData<{ key: string }>(await client.mutation("apiKeys.create", { orgSlug, kind: "read", name: "bi" }, page))).key;
    expect(ingestKey).toMatch(/^il_ing_/);
    await record("apiKeys.list", await client.query("apiKeys.list", { orgSlug }, page));

    // Use at the collector: accepted, a typo'd key, the wrong kind of key.
    const spanAt = Date.now() - 3_600_000;
    const traces = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{
      traceId: crypto.randomBytes(16).toString("hex"), spanId: crypto.randomBytes(8).toString("hex"), name: "chat", kind: 3,
      startTimeUnixNano: String(BigInt(spanAt) * 1_000_000n), endTimeUnixNano: String(BigInt(spanAt + 1000) * 1_000_000n),
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
        { key: "gen_ai.provider.name", value: { stringValue: "anthropic" } },
        { key: "gen_ai.request.model", value: { stringValue: "claude-sonnet-4-20250514" } },
        { key: "gen_ai.usage.input_tokens", value: { intValue: "20000" } },
        { key: "gen_ai.usage.output_tokens", value: { intValue: "100" } },
      ],
    }] }] }] });
    const ingest = (key: string) => fetch(`${collector.httpUrl}/v1/traces`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: traces });
    expect((await record("collector ok", await ingest(ingestKey))).status).toBe(200);
    expect((await record("collector typo", await ingest(`${ingestKey.slice(0, -1)}x`))).status).toBe(401);
    expect((await record("collector read key", await ingest(readKey))).status).toBe(401);

    // Use at the read API.
    const range = `from=${new Date(spanAt - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const readApi = (key: string) => fetch(`${server.url}/api/v1/costs?${range}`, { headers: { authorization: `Bearer ${key}` } });
    expect((await record("read api ok", await readApi(readKey))).status).toBe(200);
    expect((await record("read api ingest key", await readApi(ingestKey))).status).toBe(401);
    expect((await record("read api typo", await readApi(`${readKey}x`))).status).toBe(401);

    // Slack and webhook channels: a Slack that says the channel is gone, a webhook that fails.
    const slack = await startFakeSlack([{ status: 404, body: "no_service" }]);
    const hook = await startFakeSlack([{ status: 500, body: "oops" }]);
    const webhookUrl = hook.url.replace("/services/T000/B000/XXXXsecret", "/hooks/with-token-abc123def456");
    const slackChannel = await record("createChannel slack", await client.mutation("alerts.createChannel", { orgSlug, channel: { kind: "slack", name: "#cost", url: slack.url } }, page));
    const created = JSON.parse(slackChannel.body) as { result: { data: { json: { id: string; urlHint: string } } } };
    expect(created.result.data.json.urlHint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…/);
    const hookCreated = await trpcData<{ id: string; signingSecret: string }>(await client.mutation("alerts.createChannel", { orgSlug, channel: { kind: "webhook", name: "hook", url: webhookUrl } }, page));
    const signingSecret = hookCreated.signingSecret;
    for (const channelId of [created.result.data.json.id, hookCreated.id]) {
      await record("createRule", await client.mutation("alerts.createRule", { orgSlug, rule: { type: "budget", config: { monthlyBudgetUsd: 0.0001 }, channelId } }, page));
    }
    const stored = await db.prisma.alertChannel.findMany({ where: { id: { in: [created.result.data.json.id, hookCreated.id] } } });
    for (const row of stored) expect(JSON.stringify(row)).not.toMatch(/XXXXsecret|with-token-abc123def456/); // encrypted at rest

    await runWorkerUntilIdle(db);
    const orgId = (await db.prisma.organization.findUniqueOrThrow({ where: { slug: orgSlug } })).id;
    const ctx = { db, org: { id: orgId, slug: orgSlug, name: "Secrets Org" }, actor: { type: "system" as const, name: "test" } };
    expect((await evaluateOrgAlerts({ ctx })).fired.length).toBeGreaterThan(0);
    const outcome = await deliverOutbox({ db, nowMs: Date.now() + 10_000, log: (l) => printed.push(l) });
    expect(outcome.failed + outcome.retried).toBe(2);
    expect(slack.requests.length + hook.requests.length).toBe(2);
    await record("alerts.channels", await client.query("alerts.channels", { orgSlug }, page));
    await record("alerts.events", await client.query("alerts.events", { orgSlug }, page));
    await record("alerts.rules", await client.query("alerts.rules", { orgSlug }, page));

    // Revoke, then the key is refused — still without echoing it.
    const keys = await trpcData<{ id: string; kind: string }[]>(await client.query("apiKeys.list", { orgSlug }, page));
    const ingestId = keys.find((k) => k.kind === "ingest")!.id;
    await record("apiKeys.revoke", await client.mutation("apiKeys.revoke", { orgSlug, keyId: ingestId }, page));
    expect((await record("collector revoked", await ingest(ingestKey))).status).toBe(401);
    await record("apiKeys.list after revoke", await client.query("apiKeys.list", { orgSlug }, page));
    await slack.close();
    await hook.close();

    const secrets = {
      ingestKey, readKey, ingestKeyHash: hashApiKey(ingestKey), readKeyHash: hashApiKey(readKey),
      slackUrl: slack.url, slackToken: "XXXXsecret", webhookUrl, webhookToken: "with-token-abc123def456", signingSecret,
    };
    for (const { what, body } of responses) {
      for (const [name, secret] of Object.entries(secrets)) expect(body.includes(secret), `${name} in response to ${what}`).toBe(false);
    }
    const log = printed.join("\n");
    expect(log).toContain("alert delivery to"); // the capture did see the delivery failure being logged …
    for (const [name, secret] of Object.entries(secrets)) expect(log.includes(secret), `${name} in the log`).toBe(false); // … without the secrets
  });
});
