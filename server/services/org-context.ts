import type { Db } from "../db/client.ts";
import { can, type Permission, type Role } from "../domain/access/permissions.ts";
import { ForbiddenError } from "../errors.ts";

/**
 * Everything a service needs to act for one org. The org always comes from the session's membership or an
 * authenticated API key, never from a request payload; services build every query from `ctx.org.id`.
 */
export type Actor =
  | { type: "user"; userId: string; role: Role }
  | { type: "apiKey"; keyId: string; kind: "ingest" | "read" }
  | { type: "system"; name: string };

export type OrgContext = { db: Db; org: { id: string; slug: string; name: string }; actor: Actor };

export function actorRole(actor: Actor): Role {
  if (actor.type === "user") return actor.role;
  if (actor.type === "system") return "owner"; // CLI / scheduler run with operator rights
  return "viewer";
}

export function requirePermission(ctx: OrgContext, permission: Permission): void {
  if (!can(actorRole(ctx.actor), permission)) {
    throw new ForbiddenError(`your role (${actorRole(ctx.actor)}) does not allow ${permission}`);
  }
}

export function actorUserId(actor: Actor): string | null {
  return actor.type === "user" ? actor.userId : null;
}
