import crypto from "node:crypto";
import { getDb } from "../../db/index.ts";

/** Called when a user signs up: pending, unexpired invitations for that email become memberships. */
export async function acceptPendingInvitations({ userId, email }: { userId: string; email: string }): Promise<number> {
  const { prisma } = getDb();
  const invitations = await prisma.invitation.findMany({
    where: { email: email.toLowerCase(), status: "pending", expiresAt: { gt: new Date() } },
  });
  for (const invitation of invitations) {
    await prisma.$transaction([
      prisma.member.upsert({
        where: { organizationId_userId: { organizationId: invitation.organizationId, userId } },
        create: { id: crypto.randomUUID(), organizationId: invitation.organizationId, userId, role: invitation.role ?? "viewer" },
        update: {},
      }),
      prisma.invitation.update({ where: { id: invitation.id }, data: { status: "accepted" } }),
    ]);
  }
  return invitations.length;
}
