import crypto from "node:crypto";
import type { Db } from "../../db/client.ts";
import type { Auth } from "../../auth.ts";
import { createOrg } from "../orgs/create-org.ts";
import { createApiKey } from "../api-keys/api-keys.ts";
import { createRule } from "../alerts/alert-config.ts";

export const DEMO_EMAIL = "demo@inferledger.local";
export const DEMO_ORG_SLUG = "demo";
const DEMO_TRAFFIC_KEY_NAME = "demo traffic";

export type DemoSetup = {
  orgId: string;
  orgSlug: string;
  email: string;
  /** Set when the password was generated or (re)set in this start, so it can be printed once. */
  newPassword: string | null;
  ingestKey: string;
  /** Newest stored span of the demo org, so a restart back-fills only the gap. */
  lastSpanAtMs: number | null;
};

/**
 * Idempotent demo org + user. The password comes from INFERLEDGER_DEMO_PASSWORD, or is generated once at
 * first start (printed, stored only as a hash). A fresh ingest key for the demo traffic replaces the last one.
 */
export async function ensureDemo({ db, auth, password }: { db: Db; auth: Auth; password: string | undefined }): Promise<DemoSetup> {
  let newPassword: string | null = null;
  let user = await db.prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (!user) {
    newPassword = password ?? crypto.randomBytes(12).toString("base64url");
    await auth.api.signUpEmail({ body: { email: DEMO_EMAIL, password: newPassword, name: "Demo User" } });
    user = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_EMAIL } });
  } else if (password) {
    const account = await db.prisma.account.findFirst({ where: { userId: user.id, providerId: "credential" } });
    const context = await auth.$context;
    if (account?.password && !(await context.password.verify({ hash: account.password, password }))) {
      await db.prisma.account.update({ where: { id: account.id }, data: { password: await context.password.hash(password) } });
      newPassword = password;
    }
  }
  let org = await db.prisma.organization.findUnique({ where: { slug: DEMO_ORG_SLUG } });
  if (!org) {
    const created = await createOrg({ db, name: "Demo", ownerUserId: user.id });
    org = await db.prisma.organization.findUniqueOrThrow({ where: { id: created.id } });
  }
  await db.prisma.member.upsert({
    where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
    create: { id: crypto.randomUUID(), organizationId: org.id, userId: user.id, role: "owner" },
    update: {},
  });
  await db.prisma.apiKey.updateMany({
    where: { orgId: org.id, name: DEMO_TRAFFIC_KEY_NAME, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const ctx = { db, org: { id: org.id, slug: org.slug, name: org.name }, actor: { type: "system" as const, name: "demo" } };
  const key = await createApiKey({ ctx, kind: "ingest", name: DEMO_TRAFFIC_KEY_NAME });
  // The demo's self-hosted summarizer runs on two H100s (matched by host; serves the Llama model).
  const poolExists = await db.prisma.gpuPool.findFirst({ where: { orgId: org.id, name: "llama-70b" } });
  if (!poolExists) {
    await db.prisma.gpuPool.create({
      data: {
        id: crypto.randomUUID(), orgId: org.id, name: "llama-70b", gpuType: "h100-sxm", gpuCount: 2, usdPerGpuHour: "2.49",
        matchHosts: ["gpu-node-1"], matchGpuUuids: [], servesModels: ["meta-llama/Llama-3.1-70B-Instruct"], servesAddresses: ["llama-70b.gpu.internal"],
      },
    });
  }
  // Alert rules so the demo's prompt creep, waste and idle GPUs show up as alerts (no channel: events only).
  if ((await db.prisma.alertRule.count({ where: { orgId: org.id } })) === 0) {
    for (const type of ["prompt_creep", "waste", "idle_gpu"] as const) await createRule({ ctx, input: { type } });
  }
  const last = await db.pool.query<{ t: Date | null }>("SELECT max(start_time) AS t FROM spans WHERE org_id = $1", [org.id]);
  return { orgId: org.id, orgSlug: org.slug, email: DEMO_EMAIL, newPassword, ingestKey: key.key, lastSpanAtMs: last.rows[0]?.t?.getTime() ?? null };
}
