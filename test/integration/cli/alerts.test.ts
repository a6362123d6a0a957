import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../../bin/inferledger.mjs");

describe("inferledger CLI: alerts", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("alerts create prints the rule as JSON (webhook URL redacted); alerts evaluate reports fired/resolved as JSON", async () => {
    const { org } = await createTestOrg(db);
    const env = { ...process.env, DATABASE_URL: inject("databaseUrl"), BETTER_AUTH_SECRET: "integration-tests-secret-0123456789abcdef" };
    const created = await run(process.execPath, [BIN, "alerts", "create", "--org", org.id, "--type", "waste", "--threshold", "0.3", "--slack-webhook", "https://hooks.slack.com/services/T1/B2/secretpart", "--json"], { env });
    const rule = JSON.parse(created.stdout) as { ruleId: string; type: string; config: { threshold: number }; channelUrl: string };
    expect(rule).toMatchObject({ type: "waste", config: { threshold: 0.3 }, channelUrl: "https://hooks.slack.com/…part" });
    expect(created.stdout).not.toContain("secretpart");
    const evaluated = await run(process.execPath, [BIN, "alerts", "evaluate", "--org", org.slug, "--json"], { env });
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ fired: [], resolved: [], stillOpen: 0, delivery: { sent: 0 } });
    await expect(run(process.execPath, [BIN, "alerts", "create", "--org", org.id, "--type", "nope"], { env })).rejects.toMatchObject({ code: 2 });
  });
});
