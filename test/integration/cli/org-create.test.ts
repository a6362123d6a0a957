import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../../server/db/client.ts";
import { startEmbeddedDatabase } from "../../../server/db/embedded.ts";
import { applyMigrations } from "../../../server/db/migrate.ts";
import { hashApiKey } from "../../../server/services/api-keys/api-keys.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../../bin/inferledger.mjs");

function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

describe("inferledger CLI: org create", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("prints exactly one JSON object with orgId, slug, ingestKey, apiKey and stores hashed keys", async () => {
    const { stdout } = await run(process.execPath, [BIN, "org", "create", "--name", "Acme Robotics", "--json"], {
      env: cliEnv({ DATABASE_URL: inject("databaseUrl") }),
    });
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as Record<string, string>;
    expect(Object.keys(out).sort()).toEqual(["apiKey", "ingestKey", "orgId", "slug"]);
    expect(out.slug).toMatch(/^acme-robotics/);
    const keys = await db.prisma.apiKey.findMany({ where: { orgId: out.orgId } });
    expect(keys.map((k) => k.kind).sort()).toEqual(["ingest", "read"]);
    expect(keys.map((k) => k.keyHash).sort()).toEqual([hashApiKey(out.ingestKey!), hashApiKey(out.apiKey!)].sort());
  });

  it("reaches the embedded database through the running server's socket (PGlite is single-process)", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "il-cli-"));
    const server = await startEmbeddedDatabase({ dataDir }); // stands in for `npm start`
    try {
      const { stdout } = await run(process.execPath, [BIN, "org", "create", "--name", "Embedded Co", "--json"], {
        env: cliEnv({ INFERLEDGER_DATA_DIR: dataDir }),
      });
      const out = JSON.parse(stdout) as { orgId: string };
      const serverDb = createDb({ url: server.url, maxConnections: 1 });
      await applyMigrations(serverDb.pool);
      expect(await serverDb.prisma.organization.findUnique({ where: { id: out.orgId } })).not.toBeNull();
      await serverDb.close();
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("--owner-email makes an existing user the owner (the org shows in their dashboard); an unknown email creates nothing", async () => {
    const env = cliEnv({ DATABASE_URL: inject("databaseUrl") });
    const email = `owner-${Date.now()}@cli.test`;
    await db.prisma.user.create({ data: { id: `u-${Date.now()}`, email, name: "CLI Owner" } });
    const { stdout } = await run(process.execPath, [BIN, "org", "create", "--name", "Owned Co", "--owner-email", email.toUpperCase(), "--json"], { env });
    const out = JSON.parse(stdout) as { orgId: string };
    const members = await db.prisma.member.findMany({ where: { organizationId: out.orgId }, include: { user: true } });
    expect(members.map((m) => [m.user.email, m.role])).toEqual([[email, "owner"]]);

    const failed = run(process.execPath, [BIN, "org", "create", "--name", "Typo Co", "--owner-email", "nobody@cli.test"], { env });
    await expect(failed).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("no user nobody@cli.test") });
    expect(await db.prisma.organization.count({ where: { name: "Typo Co" } })).toBe(0);
  });

  it("exits 2 with usage on a missing --name and lists commands on --help", async () => {
    await expect(run(process.execPath, [BIN, "org", "create", "--json"], { env: cliEnv({ DATABASE_URL: inject("databaseUrl") }) })).rejects.toMatchObject({ code: 2 });
    const { stdout } = await run(process.execPath, [BIN, "--help"]);
    expect(stdout).toContain("org create");
    expect(stdout).toContain("serve");
  });
});
