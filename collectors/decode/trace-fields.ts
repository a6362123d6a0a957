import type protobuf from "protobufjs";
import { ExportTraceServiceRequest } from "./proto-schema.ts";

/**
 * Field numbers for the streaming trace reader, taken from the definitions in proto-schema.ts (the one place they
 * are written). Checked at load: a definition edited to another type or cardinality fails here, not on live data.
 */
const root = ExportTraceServiceRequest.root;

function fieldId(typeName: string, fieldName: string, type: string, repeated = false): number {
  const field: protobuf.Field | undefined = root.lookupType(`otlp.${typeName}`).fields[fieldName];
  if (!field || field.type !== type || field.repeated !== repeated) {
    throw new Error(`proto-schema.ts: otlp.${typeName}.${fieldName} is not a ${repeated ? "repeated " : ""}${type} as the trace reader expects`);
  }
  return field.id;
}

export const REQUEST = { resourceSpans: fieldId("ExportTraceServiceRequest", "resourceSpans", "ResourceSpans", true) } as const;
export const RESOURCE_SPANS = { resource: fieldId("ResourceSpans", "resource", "Resource"), scopeSpans: fieldId("ResourceSpans", "scopeSpans", "ScopeSpans", true) } as const;
export const RESOURCE = { attributes: fieldId("Resource", "attributes", "KeyValue", true) } as const;
export const SCOPE_SPANS = { scope: fieldId("ScopeSpans", "scope", "InstrumentationScope"), spans: fieldId("ScopeSpans", "spans", "Span", true) } as const;
export const SCOPE = {
  name: fieldId("InstrumentationScope", "name", "string"),
  version: fieldId("InstrumentationScope", "version", "string"),
  attributes: fieldId("InstrumentationScope", "attributes", "KeyValue", true),
} as const;
export const SPAN = {
  traceId: fieldId("Span", "traceId", "bytes"),
  spanId: fieldId("Span", "spanId", "bytes"),
  parentSpanId: fieldId("Span", "parentSpanId", "bytes"),
  name: fieldId("Span", "name", "string"),
  kind: fieldId("Span", "kind", "int32"),
  startTimeUnixNano: fieldId("Span", "startTimeUnixNano", "fixed64"),
  endTimeUnixNano: fieldId("Span", "endTimeUnixNano", "fixed64"),
  attributes: fieldId("Span", "attributes", "KeyValue", true),
  status: fieldId("Span", "status", "Status"),
} as const;
export const STATUS = { message: fieldId("Status", "message", "string"), code: fieldId("Status", "code", "int32") } as const;
export const KEY_VALUE = { key: fieldId("KeyValue", "key", "string"), value: fieldId("KeyValue", "value", "AnyValue") } as const;
export const ANY_VALUE = {
  stringValue: fieldId("AnyValue", "stringValue", "string"),
  boolValue: fieldId("AnyValue", "boolValue", "bool"),
  intValue: fieldId("AnyValue", "intValue", "int64"),
  doubleValue: fieldId("AnyValue", "doubleValue", "double"),
  arrayValue: fieldId("AnyValue", "arrayValue", "ArrayValue"),
  kvlistValue: fieldId("AnyValue", "kvlistValue", "KeyValueList"),
  bytesValue: fieldId("AnyValue", "bytesValue", "bytes"),
} as const;
export const ARRAY_VALUE = { values: fieldId("ArrayValue", "values", "AnyValue", true) } as const;
export const KEY_VALUE_LIST = { values: fieldId("KeyValueList", "values", "KeyValue", true) } as const;

/** Protobuf wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
