import { getDb } from "../../db/index.ts";
import type { OrgContext } from "../org-context.ts";
import { ApiKeyVerifier } from "./verify-api-key.ts";

const holder = globalThis as unknown as { __inferledgerReadVerifier?: ApiKeyVerifier };

/** Org context of a read-API request from its `Authorization: Bearer <read key>`; null when missing/invalid/revoked. */
export async function authenticateReadKey(headers: Headers): Promise<OrgContext | null> {
  const db = getDb();
  holder.__inferledgerReadVerifier ??= new ApiKeyVerifier(db);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  const key = await holder.__inferledgerReadVerifier.verify(match?.[1], "read");
  if (!key) return null;
  const org = await db.prisma.organization.findUnique({ where: { id: key.orgId } });
  if (!org) return null;
  return { db, org: { id: org.id, slug: org.slug, name: org.name }, actor: { type: "apiKey", keyId: key.keyId, kind: "read" } };
}
