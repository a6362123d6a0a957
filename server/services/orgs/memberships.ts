import type { Db } from "../../db/client.ts";
import { isRole, type Role } from "../../domain/access/permissions.ts";
import { NotFoundError } from "../../errors.ts";
import type { OrgContext } from "../org-context.ts";

export type MyOrg = { id: string; slug: string; name: string; role: Role };

export async function listMyOrgs({ db, userId }: { db: Db; userId: string }): Promise<MyOrg[]> {
  const members = await db.prisma.member.findMany({
    where: { userId },
    include: { organization: true },
    orderBy: { createdAt: "asc" },
  });
  return members.flatMap((m) =>
    isRole(m.role) ? [{ id: m.organization.id, slug: m.organization.slug, name: m.organization.name, role: m.role }] : [],
  );
}

/**
 * Resolves the org a user acts in from a slug. A slug the user is not a member of is NOT_FOUND (never
 * FORBIDDEN), so other tenants' orgs cannot be discovered.
 */
export async function resolveUserOrgContext({ db, userId, orgSlug }: { db: Db; userId: string; orgSlug: string }): Promise<OrgContext> {
  const member = await db.prisma.member.findFirst({
    where: { userId, organization: { slug: orgSlug } },
    include: { organization: true },
  });
  if (!member || !isRole(member.role)) throw new NotFoundError("organization", orgSlug);
  const { id, slug, name } = member.organization;
  return { db, org: { id, slug, name }, actor: { type: "user", userId, role: member.role } };
}

/** System context for the CLI and scheduler, by org id or slug. */
export async function resolveSystemOrgContext({ db, orgIdOrSlug, name }: { db: Db; orgIdOrSlug: string; name: string }): Promise<OrgContext> {
  const org = await db.prisma.organization.findFirst({ where: { OR: [{ id: orgIdOrSlug }, { slug: orgIdOrSlug }] } });
  if (!org) throw new NotFoundError("organization", orgIdOrSlug);
  return { db, org: { id: org.id, slug: org.slug, name: org.name }, actor: { type: "system", name } };
}
