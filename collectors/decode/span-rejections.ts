/** Why a span is rejected (partial success): shared by the tree decoder and the streaming reader so both say the same. */
export const REJECT = {
  notAnObject: "span is not an object",
  traceId: "invalid traceId (must be 16 non-zero bytes / 32 hex chars)",
  spanId: "invalid spanId (must be 8 non-zero bytes / 16 hex chars)",
  parentSpanId: "invalid parentSpanId",
  timestamp: "invalid timestamp",
  startOutOfRange: "startTimeUnixNano outside 2000-01-01..2100-01-01",
} as const;
