import crypto from "node:crypto";
import type { Db } from "../../db/client.ts";
import { ValidationError } from "../../errors.ts";

export type CreatedOrg = { id: string; slug: string; name: string };

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // drop accents: "Ünïcode" → "unicode"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

/** Creates an org with a unique slug; the creating user (if any) becomes its owner, in one transaction. */
export async function createOrg({ db, name, ownerUserId }: { db: Db; name: string; ownerUserId?: string }): Promise<CreatedOrg> {
  const trimmed = name.trim();
  if (!trimmed) throw new ValidationError("organization name must not be empty");
  if (trimmed.length > 100) throw new ValidationError("organization name must have at most 100 characters");
  const base = slugify(trimmed);
  for (let attempt = 0; attempt < 8; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${crypto.randomBytes(3).toString("hex")}`;
    const taken = await db.prisma.organization.findUnique({ where: { slug }, select: { id: true } });
    if (taken) continue;
    const id = crypto.randomUUID();
    try {
      await db.prisma.$transaction(async (tx) => {
        await tx.organization.create({ data: { id, name: trimmed, slug } });
        if (ownerUserId) {
          await tx.member.create({ data: { id: crypto.randomUUID(), organizationId: id, userId: ownerUserId, role: "owner" } });
        }
      });
      return { id, slug, name: trimmed };
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") continue; // slug raced with another create
      throw error;
    }
  }
  throw new ValidationError("could not find a free slug for this organization name");
}
