import { LIMITS, type AttrValue, type Attributes } from "../../server/domain/normalize/raw-types.ts";
import { storableText, storableValue } from "./storable-text.ts";

type LongLike = { toString(): string } | number | string;
type PbAnyValue = {
  value?: string;
  stringValue?: string; boolValue?: boolean; intValue?: LongLike; doubleValue?: number | string;
  arrayValue?: { values?: PbAnyValue[] }; kvlistValue?: { values?: PbKeyValue[] }; bytesValue?: Uint8Array | string;
  string_value?: string; bool_value?: boolean; int_value?: LongLike; double_value?: number | string;
  array_value?: { values?: PbAnyValue[] }; kvlist_value?: { values?: PbKeyValue[] }; bytes_value?: string;
};
type PbKeyValue = { key?: string; value?: PbAnyValue | null };

const trim = (s: string): string => storableValue(s, LIMITS.maxAttributeValueChars);

function toNumber(v: LongLike): number {
  if (typeof v === "object" && v !== null && "low" in v) {
    const long = v as unknown as { low: number; high: number };
    return long.high * 4294967296 + (long.low >>> 0); // exact below 2^53, which covers token counts
  }
  const n = typeof v === "number" ? v : Number(String(v));
  return Number.isFinite(n) ? n : 0;
}

/**
 * AnyValue → plain value. Works for protobufjs messages (oneof discriminator in `value`) and OTLP/JSON objects
 * (camelCase or snake_case). Nesting beyond the limit becomes null.
 */
export function anyValue(v: PbAnyValue | null | undefined, depth = 0): AttrValue {
  if (!v || typeof v !== "object" || depth > LIMITS.maxAnyValueDepth) return null;
  const which = typeof v.value === "string" ? v.value : undefined; // protobufjs oneof name
  // Fast path for protobuf-decoded scalars (the vast majority of attributes).
  if (which === "stringValue") return trim(v.stringValue as string);
  if (which === "intValue") return toNumber(v.intValue as LongLike);
  if (which === "doubleValue") return v.doubleValue as number;
  if (which === "boolValue") return v.boolValue as boolean;
  const has = (camel: keyof PbAnyValue, snake: keyof PbAnyValue) => (which ? which === camel : v[camel] !== undefined || v[snake] !== undefined);
  if (has("stringValue", "string_value")) return trim(String(v.stringValue ?? v.string_value ?? ""));
  if (has("intValue", "int_value")) return toNumber((v.intValue ?? v.int_value ?? 0) as LongLike);
  if (has("doubleValue", "double_value")) return toNumber((v.doubleValue ?? v.double_value ?? 0) as LongLike);
  if (has("boolValue", "bool_value")) return Boolean(v.boolValue ?? v.bool_value);
  if (has("arrayValue", "array_value")) {
    const values = (v.arrayValue ?? v.array_value)?.values ?? [];
    return values.slice(0, LIMITS.maxAttributesPerItem).map((x) => anyValue(x, depth + 1));
  }
  if (has("kvlistValue", "kvlist_value")) return keyValues((v.kvlistValue ?? v.kvlist_value)?.values, depth + 1);
  if (has("bytesValue", "bytes_value")) {
    const b = v.bytesValue ?? v.bytes_value;
    return typeof b === "string" ? trim(b) : b ? trim(Buffer.from(b).toString("base64")) : "";
  }
  return null;
}

export function keyValues(list: PbKeyValue[] | null | undefined, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  const n = Math.min(list.length, LIMITS.maxAttributesPerItem);
  for (let i = 0; i < n; i++) {
    const kv = list[i];
    if (kv && typeof kv.key === "string" && kv.key.length <= 256) out[storableText(kv.key)] = anyValue(kv.value, depth);
  }
  return out;
}
