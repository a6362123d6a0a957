import type { Db } from "../../db/client.ts";
import { hashApiKey, kindOfKey, onApiKeyRevoked, type ApiKeyKind } from "./api-keys.ts";

export type VerifiedKey = { orgId: string; keyId: string; kind: ApiKeyKind };

type CacheEntry = { value: VerifiedKey | null; expiresAtMs: number };

/**
 * Verifies API keys for hot paths (every OTLP request) with a small TTL cache: one indexed lookup per key
 * per TTL instead of per request. Revocations in this process drop the entry at once; other processes see
 * them within `ttlMs`. Misses are cached too (briefly), so a flood of bad keys does not reach the database.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    private readonly options: { ttlMs: number; negativeTtlMs: number; maxEntries: number } = {
      ttlMs: 10_000,
      negativeTtlMs: 2_000,
      maxEntries: 10_000,
    },
  ) {
    this.unsubscribe = onApiKeyRevoked((keyHash) => this.cache.delete(keyHash));
  }

  async verify(plain: string | null | undefined, kind: ApiKeyKind, nowMs: number = Date.now()): Promise<VerifiedKey | null> {
    if (!plain || plain.length > 200 || kindOfKey(plain) !== kind) return null;
    const keyHash = hashApiKey(plain);
    const hit = this.cache.get(keyHash);
    if (hit && hit.expiresAtMs > nowMs) return hit.value;
    const row = await this.db.prisma.apiKey.findUnique({
      where: { keyHash },
      select: { id: true, orgId: true, kind: true, revokedAt: true },
    });
    const value: VerifiedKey | null =
      row && !row.revokedAt && row.kind === kind ? { orgId: row.orgId, keyId: row.id, kind } : null;
    if (this.cache.size >= this.options.maxEntries) this.cache.clear();
    this.cache.set(keyHash, { value, expiresAtMs: nowMs + (value ? this.options.ttlMs : this.options.negativeTtlMs) });
    if (value) void this.touch(value.keyId, nowMs);
    return value;
  }

  private lastTouched = new Map<string, number>();

  /** last_used_at at most once a minute per key, off the request path. */
  private async touch(keyId: string, nowMs: number): Promise<void> {
    const last = this.lastTouched.get(keyId) ?? 0;
    if (nowMs - last < 60_000) return;
    this.lastTouched.set(keyId, nowMs);
    await this.db.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(nowMs) } }).catch(() => undefined);
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }
}
