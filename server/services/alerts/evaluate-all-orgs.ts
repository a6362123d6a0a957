import type { Db } from "../../db/client.ts";
import { evaluateOrgAlerts } from "./evaluate-org-alerts.ts";

/** The scheduler's pass: every org that has enabled rules, one after another (each org's failure is its own). */
export async function evaluateAllOrgs({ db, nowMs = Date.now() }: { db: Db; nowMs?: number }): Promise<number> {
  const orgs = await db.prisma.alertRule.findMany({ where: { enabled: true }, distinct: ["orgId"], select: { orgId: true } });
  let evaluated = 0;
  for (const { orgId } of orgs) {
    const org = await db.prisma.organization.findUnique({ where: { id: orgId } });
    if (!org) continue;
    try {
      await evaluateOrgAlerts({ ctx: { db, org: { id: org.id, slug: org.slug, name: org.name }, actor: { type: "system", name: "scheduler" } }, nowMs });
      evaluated++;
    } catch (error) {
      console.error(`[alerts] evaluating org ${org.slug} failed: ${(error as Error).message}`);
    }
  }
  return evaluated;
}
