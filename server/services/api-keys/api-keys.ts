import crypto from "node:crypto";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { actorUserId, requirePermission, type OrgContext } from "../org-context.ts";

export type ApiKeyKind = "ingest" | "read";
export type ApiKeyInfo = {
  id: string;
  kind: ApiKeyKind;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const KIND_TAG: Record<ApiKeyKind, string> = { ingest: "il_ing_", read: "il_read_" };
export const KEY_PREFIX_LENGTH = 14;

/** SHA-256 of a high-entropy random secret: a slow KDF buys nothing here and would cap ingest throughput. */
export function hashApiKey(plain: string): string {
  return crypto.createHash("sha256").update(plain).digest("hex");
}

export function kindOfKey(plain: string): ApiKeyKind | null {
  if (plain.startsWith(KIND_TAG.ingest)) return "ingest";
  if (plain.startsWith(KIND_TAG.read)) return "read";
  return null;
}

/** Creates a key and returns its secret — the only time the secret exists outside the caller. */
export async function createApiKey({ ctx, kind, name }: { ctx: OrgContext; kind: ApiKeyKind; name: string }): Promise<ApiKeyInfo & { key: string }> {
  requirePermission(ctx, "keys:manage");
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new ValidationError("key name must have 1 to 100 characters");
  const key = KIND_TAG[kind] + crypto.randomBytes(32).toString("base64url");
  const row = await ctx.db.prisma.apiKey.create({
    data: {
      id: crypto.randomUUID(),
      orgId: ctx.org.id,
      kind,
      name: trimmed,
      prefix: key.slice(0, KEY_PREFIX_LENGTH),
      keyHash: hashApiKey(key),
      createdByUserId: actorUserId(ctx.actor),
    },
  });
  return { ...toInfo(row), key };
}

export async function listApiKeys({ ctx }: { ctx: OrgContext }): Promise<ApiKeyInfo[]> {
  requirePermission(ctx, "keys:manage");
  const rows = await ctx.db.prisma.apiKey.findMany({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "desc" } });
  return rows.map(toInfo);
}

export async function revokeApiKey({ ctx, keyId }: { ctx: OrgContext; keyId: string }): Promise<ApiKeyInfo> {
  requirePermission(ctx, "keys:manage");
  const result = await ctx.db.prisma.apiKey.updateMany({
    where: { id: keyId, orgId: ctx.org.id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const row = await ctx.db.prisma.apiKey.findFirst({ where: { id: keyId, orgId: ctx.org.id } });
  if (!row) throw new NotFoundError("api key", keyId);
  if (result.count > 0) onKeyRevoked(row.keyHash);
  return toInfo(row);
}

type KeyRevokedListener = (keyHash: string) => void;
const revokedListeners = new Set<KeyRevokedListener>();

/** Lets in-process verifiers (collector cache) drop a revoked key at once. */
export function onApiKeyRevoked(listener: KeyRevokedListener): () => void {
  revokedListeners.add(listener);
  return () => revokedListeners.delete(listener);
}

function onKeyRevoked(keyHash: string): void {
  for (const listener of revokedListeners) listener(keyHash);
}

function toInfo(row: {
  id: string;
  kind: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyInfo {
  return {
    id: row.id,
    kind: row.kind === "read" ? "read" : "ingest",
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
