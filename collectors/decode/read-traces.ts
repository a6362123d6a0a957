import protobuf from "protobufjs";
import { LIMITS, type Attributes, type AttrValue, type RawResourceSpans, type RawSpan } from "../../server/domain/normalize/raw-types.ts";
import { REJECT } from "./span-rejections.ts";
import {
  ANY_VALUE, ARRAY_VALUE, FIXED64, KEY_VALUE, KEY_VALUE_LIST, LENGTH_DELIMITED, REQUEST, RESOURCE, RESOURCE_SPANS, SCOPE, SCOPE_SPANS, SPAN, STATUS, VARINT,
} from "./trace-fields.ts";
import { timeInRange } from "./ids-and-times.ts";
import { storableText, storableValue } from "./storable-text.ts";

type Reader = protobuf.Reader;
type Request = { buf: Buffer; view: DataView; out: RawResourceSpans[]; reasons: Set<string>; rejected: number; spanCount: number };
export type ReadTraces = { resourceSpans: RawResourceSpans[]; spanCount: number; rejected: number; rejectReasons: string[] };

/**
 * Thrown for input the streaming reader leaves to the protobufjs message decoder (decode-traces.ts): repeated
 * sub-messages that protobufjs would merge, nesting or lists beyond our limits, too many spans. The caller also
 * falls back on any error, so malformed bodies get exactly the library's error.
 */
export class NotForStreamingReader extends Error {}
const giveUp = (): never => {
  throw new NotForStreamingReader();
};

/**
 * ExportTraceServiceRequest bytes → raw spans in one pass over the wire with the protobufjs Reader, building only the
 * plain values we keep (no message objects, Longs or id Buffers per span). Field numbers come from proto-schema.ts;
 * the result equals decoding with protobufjs and walking the messages (decode-traces.ts), which the tests check
 * on generated and hand-made edge-case inputs.
 */
export function readTraces(body: Uint8Array): ReadTraces {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const r = protobuf.Reader.create(buf);
  const req: Request = { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), out: [], reasons: new Set(), rejected: 0, spanCount: 0 };
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === REQUEST.resourceSpans && (tag & 7) === LENGTH_DELIMITED) readResourceSpans(r, req);
    else r.skipType(tag & 7, 0, tag >>> 3);
  }
  return { resourceSpans: req.out, spanCount: req.spanCount, rejected: req.rejected, rejectReasons: [...req.reasons] };
}

// Message framing as protobufjs's generated decoders do it: limit the reader to the message, check it ended exactly.
function open(r: Reader): number {
  const end = r.size() + r.pos;
  if (end > r.len) throw new RangeError("index out of range");
  const outer = r.len;
  r.len = end;
  return outer;
}
function close(r: Reader, outer: number): void {
  if (r.pos !== r.len) throw new RangeError("index out of range");
  r.len = outer;
}

// `depth` below is protobufjs's recursion depth (the request is 0), passed to skipType for unknown fields.
function readResourceSpans(r: Reader, req: Request): void {
  const outer = open(r);
  let resource: Attributes | null = null;
  const spans: RawSpan[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === RESOURCE_SPANS.resource && wire === LENGTH_DELIMITED) {
      if (resource !== null) giveUp(); // protobufjs merges a repeated resource
      resource = readResource(r, req);
    } else if (field === RESOURCE_SPANS.scopeSpans && wire === LENGTH_DELIMITED) {
      readScopeSpans(r, req, spans);
    } else r.skipType(wire, 1, field);
  }
  close(r, outer);
  if (spans.length > 0) req.out.push({ resource: resource ?? {}, spans });
}

function readResource(r: Reader, req: Request): Attributes {
  const outer = open(r);
  const attributes: Attributes = {};
  let count = 0;
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === RESOURCE.attributes && (tag & 7) === LENGTH_DELIMITED) readKeyValue(r, req, count++ < LIMITS.maxAttributesPerItem ? attributes : null, 0, 3);
    else r.skipType(tag & 7, 2, tag >>> 3);
  }
  close(r, outer);
  return attributes;
}

function readScopeSpans(r: Reader, req: Request, spans: RawSpan[]): void {
  const outer = open(r);
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === SCOPE_SPANS.spans && wire === LENGTH_DELIMITED) {
      if (++req.spanCount > LIMITS.maxSpansPerRequest) giveUp(); // the tree decoder reports it (after checking the whole body)
      const span = readSpan(r, req);
      if (typeof span === "string") {
        req.rejected++;
        req.reasons.add(span);
      } else spans.push(span);
    } else if (field === SCOPE_SPANS.scope && wire === LENGTH_DELIMITED) {
      readScope(r, req);
    } else r.skipType(wire, 2, field);
  }
  close(r, outer);
}

/** The scope is not kept, but read all the same so a malformed one fails the request as it does in protobufjs. */
function readScope(r: Reader, req: Request): void {
  const outer = open(r);
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if ((field === SCOPE.name || field === SCOPE.version) && wire === LENGTH_DELIMITED) readString(r, req.buf);
    else if (field === SCOPE.attributes && wire === LENGTH_DELIMITED) readKeyValue(r, req, null, 0, 4);
    else r.skipType(wire, 3, field);
  }
  close(r, outer);
}

function readSpan(r: Reader, req: Request): RawSpan | string {
  const outer = open(r);
  const attributes: Attributes = {};
  let attributeCount = 0;
  // Byte ranges of the ids (-1: absent; an empty field counts as absent, as in protobufjs).
  let traceIdAt = -1, traceIdLength = 0, spanIdAt = -1, spanIdLength = 0, parentAt = -1, parentLength = 0;
  let name = "";
  let kind = 0;
  let startAt = -1, endAt = -1;
  let statusCode = 0;
  let statusMessage = "";
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === SPAN.attributes && wire === LENGTH_DELIMITED) {
      readKeyValue(r, req, attributeCount++ < LIMITS.maxAttributesPerItem ? attributes : null, 0, 4);
    } else if (field === SPAN.traceId && wire === LENGTH_DELIMITED) {
      traceIdLength = skipBytes(r);
      traceIdAt = traceIdLength ? r.pos - traceIdLength : -1;
    } else if (field === SPAN.spanId && wire === LENGTH_DELIMITED) {
      spanIdLength = skipBytes(r);
      spanIdAt = spanIdLength ? r.pos - spanIdLength : -1;
    } else if (field === SPAN.parentSpanId && wire === LENGTH_DELIMITED) {
      parentLength = skipBytes(r);
      parentAt = parentLength ? r.pos - parentLength : -1;
    } else if (field === SPAN.name && wire === LENGTH_DELIMITED) {
      name = readString(r, req.buf);
    } else if (field === SPAN.kind && wire === VARINT) {
      kind = r.int32();
    } else if (field === SPAN.startTimeUnixNano && wire === FIXED64) {
      startAt = skipFixed64(r);
    } else if (field === SPAN.endTimeUnixNano && wire === FIXED64) {
      endAt = skipFixed64(r);
    } else if (field === SPAN.status && wire === LENGTH_DELIMITED) {
      // protobufjs merges repeated Status messages field by field: the last code and message seen win.
      const statusOuter = open(r);
      while (r.pos < r.len) {
        const t = r.tag();
        if (t >>> 3 === STATUS.message && (t & 7) === LENGTH_DELIMITED) statusMessage = readString(r, req.buf);
        else if (t >>> 3 === STATUS.code && (t & 7) === VARINT) statusCode = r.int32();
        else r.skipType(t & 7, 4, t >>> 3);
      }
      close(r, statusOuter);
    } else r.skipType(wire, 3, field);
  }
  close(r, outer);

  const traceId = idHex(req.buf, traceIdAt, traceIdLength, 16);
  if (!traceId) return REJECT.traceId;
  const spanId = idHex(req.buf, spanIdAt, spanIdLength, 8);
  if (!spanId) return REJECT.spanId;
  let parentSpanId: string | null = null;
  if (parentAt >= 0) {
    parentSpanId = idHex(req.buf, parentAt, parentLength, 8);
    if (!parentSpanId) return REJECT.parentSpanId;
  }
  const start = startAt < 0 ? 0n : req.view.getBigUint64(startAt, true);
  const endRaw = endAt < 0 ? 0n : req.view.getBigUint64(endAt, true);
  if (!timeInRange(start)) return REJECT.startOutOfRange;
  return {
    traceId,
    spanId,
    parentSpanId,
    name: storableValue(name, 1024),
    kind: kind >= 0 && kind <= 5 ? kind : 0,
    startTimeUnixNano: start,
    endTimeUnixNano: endRaw < start ? start : endRaw,
    statusCode: statusCode === 1 || statusCode === 2 ? statusCode : 0,
    statusMessage: statusMessage ? storableValue(statusMessage, 2048) : null,
    attributes,
  };
}

/** One KeyValue into `out` (null: read and checked but not kept, like entries beyond the attribute limit). */
function readKeyValue(r: Reader, req: Request, out: Attributes | null, valueDepth: number, depth: number): void {
  const outer = open(r);
  let key = "";
  let value: AttrValue = null; // no value field → null
  let hasValue = false;
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === KEY_VALUE.key && wire === LENGTH_DELIMITED) key = readString(r, req.buf);
    else if (field === KEY_VALUE.value && wire === LENGTH_DELIMITED) {
      if (hasValue) giveUp(); // protobufjs merges a repeated value
      hasValue = true;
      value = readAnyValue(r, req, valueDepth, depth + 1);
    } else r.skipType(wire, depth, field);
  }
  close(r, outer);
  if (out !== null && key.length <= 256) out[storableText(key)] = value;
}

function readAnyValue(r: Reader, req: Request, valueDepth: number, depth: number): AttrValue {
  if (valueDepth > LIMITS.maxAnyValueDepth) giveUp(); // the tree decoder makes it null after protobufjs checked it
  const outer = open(r);
  let value: AttrValue = ""; // an AnyValue with no value set reads as the empty string (protobufjs's default)
  let isSet = false;
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    let known = true;
    if (field === ANY_VALUE.stringValue && wire === LENGTH_DELIMITED) value = trim(readString(r, req.buf));
    else if (field === ANY_VALUE.intValue && wire === VARINT) value = readInt64AsNumber(r);
    else if (field === ANY_VALUE.doubleValue && wire === FIXED64) value = r.double();
    else if (field === ANY_VALUE.boolValue && wire === VARINT) value = r.bool();
    else if (field === ANY_VALUE.arrayValue && wire === LENGTH_DELIMITED) value = readArrayValue(r, req, valueDepth, depth + 1);
    else if (field === ANY_VALUE.kvlistValue && wire === LENGTH_DELIMITED) value = readKeyValueList(r, req, valueDepth, depth + 1);
    else if (field === ANY_VALUE.bytesValue && wire === LENGTH_DELIMITED) {
      const length = skipBytes(r);
      value = trim(req.buf.toString("base64", r.pos - length, r.pos));
    } else {
      known = false;
      r.skipType(wire, depth, field);
    }
    if (known) {
      if (isSet) giveUp(); // several oneof fields: protobufjs keeps the last and merges repeated arrays/lists
      isSet = true;
    }
  }
  close(r, outer);
  return value;
}

function readArrayValue(r: Reader, req: Request, valueDepth: number, depth: number): AttrValue[] {
  const outer = open(r);
  const values: AttrValue[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === ARRAY_VALUE.values && (tag & 7) === LENGTH_DELIMITED) {
      if (values.length >= LIMITS.maxAttributesPerItem) giveUp();
      values.push(readAnyValue(r, req, valueDepth + 1, depth + 1));
    } else r.skipType(tag & 7, depth, tag >>> 3);
  }
  close(r, outer);
  return values;
}

function readKeyValueList(r: Reader, req: Request, valueDepth: number, depth: number): Attributes {
  const outer = open(r);
  const values: Attributes = {};
  let count = 0;
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === KEY_VALUE_LIST.values && (tag & 7) === LENGTH_DELIMITED) readKeyValue(r, req, count++ < LIMITS.maxAttributesPerItem ? values : null, valueDepth + 1, depth + 1);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
  close(r, outer);
  return values;
}

const trim = (s: string): string => storableValue(s, LIMITS.maxAttributeValueChars);

/** Length-delimited bytes: checks and skips them, returns their length (they end at r.pos). */
function skipBytes(r: Reader): number {
  const length = r.size();
  if (r.pos + length > r.len) throw new RangeError("index out of range");
  r.pos += length;
  return length;
}

/** Returns where the 8 bytes start. */
function skipFixed64(r: Reader): number {
  if (r.pos + 8 > r.len) throw new RangeError("index out of range");
  r.pos += 8;
  return r.pos - 8;
}

/**
 * A string field as Reader.stringVerify reads it. Short ASCII strings (attribute keys, model and provider names:
 * the same few on every span) come from a small cache checked byte for byte, so they are neither allocated again
 * nor re-hashed as property keys; other ASCII is sliced natively; anything else goes through stringVerify itself,
 * so invalid UTF-8 fails exactly as in protobufjs.
 */
function readString(r: Reader, buf: Buffer): string {
  const start = r.pos;
  const length = r.size();
  const from = r.pos;
  const to = from + length;
  if (to > r.len) throw new RangeError("index out of range");
  let hash = length;
  for (let i = from; i < to; i++) {
    const b = buf[i]!;
    if (b > 0x7f) {
      r.pos = start;
      return r.stringVerify();
    }
    hash = (Math.imul(hash, 31) + b) | 0;
  }
  r.pos = to;
  if (length > MAX_CACHED_STRING) return buf.toString("latin1", from, to);
  const slot = hash & (STRING_CACHE_SLOTS - 1);
  const cached = stringCache[slot];
  if (cached !== undefined && cached.length === length && sameAscii(cached, buf, from)) return cached;
  const text = buf.toString("latin1", from, to);
  stringCache[slot] = text;
  return text;
}

const MAX_CACHED_STRING = 64;
const STRING_CACHE_SLOTS = 4096; // a power of two; direct-mapped, a collision just replaces the slot
const stringCache: (string | undefined)[] = new Array<string | undefined>(STRING_CACHE_SLOTS).fill(undefined);

function sameAscii(text: string, buf: Buffer, from: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[from + i]) return false;
  return true;
}

/** int64 → number as the tree decoder converts protobufjs's Long (exact below 2^53); short varints without a Long. */
function readInt64AsNumber(r: Reader): number {
  const buf = r.buf;
  const pos = r.pos;
  if (r.len - pos > 4) {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const b = buf[pos + i]!;
      value |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        r.pos = pos + i + 1;
        return value;
      }
    }
  }
  const long = r.int64();
  return long.high * 4294967296 + (long.low >>> 0);
}

/** Ids as idToHex reads protobuf bytes: the exact length, not all zero, lower-case hex. */
function idHex(buf: Buffer, at: number, length: number, bytes: number): string | null {
  if (at < 0 || length !== bytes) return null;
  let nonZero = 0;
  for (let i = at; i < at + length; i++) nonZero |= buf[i]!;
  return nonZero ? buf.toString("hex", at, at + length) : null;
}
