/** Decoded OTLP, independent of the wire encoding: what the normalizers take (decoders live in collectors/decode). */
export type AttrValue = string | number | boolean | AttrValue[] | { [key: string]: AttrValue } | null;
export type Attributes = Record<string, AttrValue>;

export type RawSpan = {
  traceId: string; // 32 lower-case hex
  spanId: string; // 16 lower-case hex
  parentSpanId: string | null;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: number; // 0 unset, 1 ok, 2 error
  statusMessage: string | null;
  attributes: Attributes;
};

export type RawResourceSpans = { resource: Attributes; spans: RawSpan[] };

export type RawDataPoint = { attributes: Attributes; timeUnixNano: bigint; startTimeUnixNano: bigint; value: number };
export type RawMetric = { name: string; unit: string; type: "gauge" | "sum" | "unsupported"; isMonotonic: boolean; points: RawDataPoint[] };
export type RawResourceMetrics = { resource: Attributes; metrics: RawMetric[] };

/** Per-request limits (documented in the README); beyond them items are rejected or values trimmed, never a crash. */
export const LIMITS = {
  maxSpansPerRequest: 100_000,
  maxDataPointsPerRequest: 200_000,
  maxAttributesPerItem: 256,
  maxAttributeValueChars: 16_384, // longer strings are truncated (prompts/completions as attributes are not needed for cost)
  maxAnyValueDepth: 8, // deeper nested values become null
  minTimeUnixNano: 946_684_800_000_000_000n, // 2000-01-01
  maxTimeUnixNano: 4_102_444_800_000_000_000n, // 2100-01-01
} as const;
