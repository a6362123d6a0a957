import { LIMITS, type RawResourceSpans, type RawSpan } from "../../server/domain/normalize/raw-types.ts";
import { keyValues } from "./any-value.ts";
import { OtlpDecodeError } from "./decode-error.ts";
import { idToHex, nanos, parentIdToHex, timeInRange } from "./ids-and-times.ts";
import { ExportTraceServiceRequest } from "./proto-schema.ts";
import { readTraces } from "./read-traces.ts";
import { REJECT } from "./span-rejections.ts";
import { storableValue } from "./storable-text.ts";

export type DecodedTraces = { resourceSpans: RawResourceSpans[]; spanCount: number; rejected: number; rejectReasons: string[] };

/* eslint-disable @typescript-eslint/no-explicit-any -- walking untyped decoded protobuf/JSON trees */

/**
 * ExportTraceServiceRequest (protobuf bytes or OTLP/JSON) → raw spans. Undecodable bodies throw OtlpDecodeError
 * (→ 400); individually invalid spans (bad ids, timestamps outside 2000–2100) are counted as rejected
 * (→ partial_success) and the rest are kept.
 */
export function decodeTraces(body: Uint8Array, encoding: "protobuf" | "json"): DecodedTraces {
  if (encoding === "protobuf") {
    try {
      return readTraces(body);
    } catch {
      // Unusual or malformed input: the message decoder below gives the same result or the library's own error.
    }
  }
  return decodeTraceTree(encoding === "protobuf" ? decodeProtobuf(body) : decodeJson(body));
}

/** The decoded message tree (protobufjs messages or parsed OTLP/JSON) → raw spans. */
export function decodeTraceTree(message: any): DecodedTraces {
  const resourceSpansIn: any[] = pick(message, "resourceSpans", "resource_spans") ?? [];
  if (!Array.isArray(resourceSpansIn)) throw new OtlpDecodeError("resourceSpans must be an array");
  const out: RawResourceSpans[] = [];
  const reasons = new Set<string>();
  let rejected = 0;
  let spanCount = 0;
  for (const rs of resourceSpansIn) {
    if (!rs || typeof rs !== "object") continue;
    const resource = keyValues(pick(rs.resource, "attributes"));
    const spans: RawSpan[] = [];
    for (const ss of asArray(pick(rs, "scopeSpans", "scope_spans"))) {
      for (const s of asArray(pick(ss, "spans"))) {
        spanCount++;
        if (spanCount > LIMITS.maxSpansPerRequest) {
          throw new OtlpDecodeError(`too many spans in one request (limit ${LIMITS.maxSpansPerRequest}); send smaller batches`);
        }
        const span = toRawSpan(s);
        if (typeof span === "string") {
          rejected++;
          reasons.add(span);
        } else {
          spans.push(span);
        }
      }
    }
    if (spans.length > 0) out.push({ resource, spans });
  }
  return { resourceSpans: out, spanCount, rejected, rejectReasons: [...reasons] };
}

function toRawSpan(s: any): RawSpan | string {
  if (!s || typeof s !== "object") return REJECT.notAnObject;
  const traceId = idToHex(pick(s, "traceId", "trace_id"), 16);
  if (!traceId) return REJECT.traceId;
  const spanId = idToHex(pick(s, "spanId", "span_id"), 8);
  if (!spanId) return REJECT.spanId;
  const parentSpanId = parentIdToHex(pick(s, "parentSpanId", "parent_span_id"));
  if (parentSpanId === undefined) return REJECT.parentSpanId;
  const start = nanos(pick(s, "startTimeUnixNano", "start_time_unix_nano"));
  const endRaw = nanos(pick(s, "endTimeUnixNano", "end_time_unix_nano"));
  if (start === null || endRaw === null) return REJECT.timestamp;
  if (!timeInRange(start)) return REJECT.startOutOfRange;
  const end = endRaw < start ? start : endRaw;
  const status = pick(s, "status") ?? {};
  const code = Number(pick(status, "code") ?? 0);
  const kind = Number(pick(s, "kind") ?? 0);
  const name = pick(s, "name");
  const message = pick(status, "message");
  return {
    traceId,
    spanId,
    parentSpanId,
    name: typeof name === "string" ? storableValue(name, 1024) : "",
    kind: Number.isInteger(kind) && kind >= 0 && kind <= 5 ? kind : 0,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    statusCode: code === 1 || code === 2 ? code : statusFromName(code, pick(status, "code")),
    statusMessage: typeof message === "string" && message ? storableValue(message, 2048) : null,
    attributes: keyValues(pick(s, "attributes")),
  };
}

/** Tolerates enum names (STATUS_CODE_ERROR) although the spec says integers. */
function statusFromName(_n: number, raw: unknown): number {
  if (raw === "STATUS_CODE_ERROR") return 2;
  if (raw === "STATUS_CODE_OK") return 1;
  return 0;
}

export function decodeProtobuf(body: Uint8Array): any {
  try {
    return ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw new OtlpDecodeError(`invalid protobuf ExportTraceServiceRequest: ${(error as Error).message}`);
  }
}

export function decodeJson(body: Uint8Array): any {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new OtlpDecodeError("invalid JSON: body is not valid UTF-8");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new OtlpDecodeError("invalid OTLP/JSON: the body must be a JSON object");
  return parsed;
}

export function pick(obj: any, camel: string, snake?: string): any {
  if (!obj || typeof obj !== "object") return undefined;
  const v = obj[camel];
  return v !== undefined ? v : snake ? obj[snake] : undefined;
}

export function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
