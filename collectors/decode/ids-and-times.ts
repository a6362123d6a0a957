import { LIMITS } from "../../server/domain/normalize/raw-types.ts";

const HEX = /^[0-9a-f]+$/;

/** OTLP ids: bytes in protobuf, case-insensitive hex in JSON. Returns null for a malformed or all-zero id. */
export function idToHex(id: unknown, bytes: 8 | 16): string | null {
  let hex: string;
  if (id instanceof Uint8Array) {
    if (id.length !== bytes) return null;
    let zero = true;
    for (let i = 0; i < id.length; i++) if (id[i] !== 0) zero = false;
    if (zero) return null;
    return Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("hex");
  } else if (typeof id === "string") {
    hex = id.toLowerCase();
    if (hex.length !== bytes * 2 || !HEX.test(hex)) return null;
  } else {
    return null;
  }
  return /^0+$/.test(hex) ? null : hex;
}

/** Optional parent id: empty means "root". */
export function parentIdToHex(id: unknown): string | null | undefined {
  // protobufjs reads an unset bytes field as an empty plain array, not a Uint8Array.
  if (id === undefined || id === null || id === "" || ((id instanceof Uint8Array || Array.isArray(id)) && id.length === 0)) return null;
  const hex = idToHex(id, 8);
  return hex ?? undefined; // undefined = malformed
}

/** fixed64 nanos (Long from protobufjs, string or number from JSON) → bigint; null when not an integer. */
export function nanos(value: unknown): bigint | null {
  if (value === undefined || value === null) return 0n;
  try {
    if (typeof value === "object" && "low" in value && "high" in value) {
      // protobufjs Long: combine the two 32-bit halves directly (hot path: two per span).
      const long = value as { low: number; high: number };
      return (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
    }
    if (typeof value === "bigint") return value;
    if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? BigInt(Math.trunc(value)) : null;
    if (typeof value === "string") return /^\d{1,20}$/.test(value) ? BigInt(value) : null;
    const s = String(value); // protobufjs Long (unsigned for fixed64)
    return /^\d{1,20}$/.test(s) ? BigInt(s) : null;
  } catch {
    return null;
  }
}

export function timeInRange(ns: bigint): boolean {
  return ns >= LIMITS.minTimeUnixNano && ns <= LIMITS.maxTimeUnixNano;
}
