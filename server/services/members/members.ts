import crypto from "node:crypto";
import { canAssignRole, isRole, type Role } from "../../domain/access/permissions.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors.ts";
import { actorRole, actorUserId, requirePermission, type OrgContext } from "../org-context.ts";

export type MemberInfo = { id: string; userId: string; email: string; name: string; role: Role; joinedAt: Date };
export type InvitationInfo = { id: string; email: string; role: Role; expiresAt: Date };

const INVITATION_DAYS = 14;

export async function listMembers({ ctx }: { ctx: OrgContext }): Promise<{ members: MemberInfo[]; invitations: InvitationInfo[] }> {
  requirePermission(ctx, "members:read");
  const [members, invitations] = await Promise.all([
    ctx.db.prisma.member.findMany({ where: { organizationId: ctx.org.id }, include: { user: true }, orderBy: { createdAt: "asc" } }),
    ctx.db.prisma.invitation.findMany({ where: { organizationId: ctx.org.id, status: "pending", expiresAt: { gt: new Date() } } }),
  ]);
  return {
    members: members.map((m) => ({
      id: m.id,
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: isRole(m.role) ? m.role : "viewer",
      joinedAt: m.createdAt,
    })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: isRole(i.role ?? "") ? (i.role as Role) : "viewer", expiresAt: i.expiresAt })),
  };
}

/**
 * Adds a person by email with a role: an existing user joins at once; otherwise a pending invitation is kept
 * and accepted when that email signs up. better-auth's addMember checks neither permission nor role, so we do.
 */
export async function addMember({ ctx, email, role }: { ctx: OrgContext; email: string; role: string }): Promise<{ status: "added" | "invited" }> {
  requirePermission(ctx, "members:manage");
  if (!isRole(role)) throw new ValidationError(`unknown role ${role}`);
  if (!canAssignRole(actorRole(ctx.actor), role)) throw new ForbiddenError("only an owner can grant the owner role");
  const normalized = email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(normalized)) throw new ValidationError("invalid email address");
  const user = await ctx.db.prisma.user.findUnique({ where: { email: normalized } });
  if (user) {
    const existing = await ctx.db.prisma.member.findFirst({ where: { organizationId: ctx.org.id, userId: user.id } });
    if (existing) throw new ConflictError(`${normalized} is already a member`);
    await ctx.db.prisma.member.create({ data: { id: crypto.randomUUID(), organizationId: ctx.org.id, userId: user.id, role } });
    return { status: "added" };
  }
  const inviterId = actorUserId(ctx.actor);
  if (!inviterId) throw new ValidationError("invitations need a signed-in inviter; add existing users instead");
  await ctx.db.prisma.invitation.create({
    data: {
      id: crypto.randomUUID(),
      organizationId: ctx.org.id,
      email: normalized,
      role,
      status: "pending",
      inviterId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    },
  });
  return { status: "invited" };
}

export async function updateMemberRole({ ctx, memberId, role }: { ctx: OrgContext; memberId: string; role: string }): Promise<void> {
  requirePermission(ctx, "members:manage");
  if (!isRole(role)) throw new ValidationError(`unknown role ${role}`);
  const member = await ctx.db.prisma.member.findFirst({ where: { id: memberId, organizationId: ctx.org.id } });
  if (!member) throw new NotFoundError("member", memberId);
  const actor = actorRole(ctx.actor);
  if (!canAssignRole(actor, role) || (member.role === "owner" && actor !== "owner")) {
    throw new ForbiddenError("only an owner can change an owner or grant the owner role");
  }
  if (member.role === "owner" && role !== "owner") await ensureAnotherOwner(ctx, member.id);
  await ctx.db.prisma.member.update({ where: { id: member.id }, data: { role } });
}

export async function removeMember({ ctx, memberId }: { ctx: OrgContext; memberId: string }): Promise<void> {
  requirePermission(ctx, "members:manage");
  const member = await ctx.db.prisma.member.findFirst({ where: { id: memberId, organizationId: ctx.org.id } });
  if (!member) throw new NotFoundError("member", memberId);
  if (member.role === "owner") {
    if (actorRole(ctx.actor) !== "owner") throw new ForbiddenError("only an owner can remove an owner");
    await ensureAnotherOwner(ctx, member.id);
  }
  await ctx.db.prisma.member.delete({ where: { id: member.id } });
}

async function ensureAnotherOwner(ctx: OrgContext, exceptMemberId: string): Promise<void> {
  const owners = await ctx.db.prisma.member.count({ where: { organizationId: ctx.org.id, role: "owner", id: { not: exceptMemberId } } });
  if (owners === 0) throw new ValidationError("an organization must keep at least one owner");
}
