import protobuf from "protobufjs";

/**
 * The OTLP messages we decode, written from the field numbers in opentelemetry-proto v1.11 (shared/reference/
 * OTLP-WIRE.md). Unknown fields are skipped by protobufjs, as the spec requires.
 */
const common = {
  AnyValue: {
    oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] } },
    fields: {
      stringValue: { type: "string", id: 1 },
      boolValue: { type: "bool", id: 2 },
      intValue: { type: "int64", id: 3 },
      doubleValue: { type: "double", id: 4 },
      arrayValue: { type: "ArrayValue", id: 5 },
      kvlistValue: { type: "KeyValueList", id: 6 },
      bytesValue: { type: "bytes", id: 7 },
    },
  },
  ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
  KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
  KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
  InstrumentationScope: {
    fields: { name: { type: "string", id: 1 }, version: { type: "string", id: 2 }, attributes: { rule: "repeated", type: "KeyValue", id: 3 } },
  },
  Resource: { fields: { attributes: { rule: "repeated", type: "KeyValue", id: 1 } } },
};

const traces = {
  ExportTraceServiceRequest: { fields: { resourceSpans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
  ResourceSpans: { fields: { resource: { type: "Resource", id: 1 }, scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 } } },
  ScopeSpans: { fields: { scope: { type: "InstrumentationScope", id: 1 }, spans: { rule: "repeated", type: "Span", id: 2 } } },
  Span: {
    fields: {
      traceId: { type: "bytes", id: 1 },
      spanId: { type: "bytes", id: 2 },
      parentSpanId: { type: "bytes", id: 4 },
      name: { type: "string", id: 5 },
      kind: { type: "int32", id: 6 },
      startTimeUnixNano: { type: "fixed64", id: 7 },
      endTimeUnixNano: { type: "fixed64", id: 8 },
      attributes: { rule: "repeated", type: "KeyValue", id: 9 },
      status: { type: "Status", id: 15 },
    },
  },
  Status: { fields: { message: { type: "string", id: 2 }, code: { type: "int32", id: 3 } } },
  ExportTraceServiceResponse: { fields: { partialSuccess: { type: "ExportTracePartialSuccess", id: 1 } } },
  ExportTracePartialSuccess: { fields: { rejectedSpans: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } } },
};

const metrics = {
  ExportMetricsServiceRequest: { fields: { resourceMetrics: { rule: "repeated", type: "ResourceMetrics", id: 1 } } },
  ResourceMetrics: { fields: { resource: { type: "Resource", id: 1 }, scopeMetrics: { rule: "repeated", type: "ScopeMetrics", id: 2 } } },
  ScopeMetrics: { fields: { scope: { type: "InstrumentationScope", id: 1 }, metrics: { rule: "repeated", type: "Metric", id: 2 } } },
  Metric: {
    oneofs: { data: { oneof: ["gauge", "sum", "histogram", "exponentialHistogram", "summary"] } },
    fields: {
      name: { type: "string", id: 1 },
      unit: { type: "string", id: 3 },
      gauge: { type: "Gauge", id: 5 },
      sum: { type: "Sum", id: 7 },
      histogram: { type: "Opaque", id: 9 },
      exponentialHistogram: { type: "Opaque", id: 10 },
      summary: { type: "Opaque", id: 11 },
    },
  },
  Opaque: { fields: {} },
  Gauge: { fields: { dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 } } },
  Sum: {
    fields: {
      dataPoints: { rule: "repeated", type: "NumberDataPoint", id: 1 },
      aggregationTemporality: { type: "int32", id: 2 },
      isMonotonic: { type: "bool", id: 3 },
    },
  },
  NumberDataPoint: {
    oneofs: { value: { oneof: ["asDouble", "asInt"] } },
    fields: {
      attributes: { rule: "repeated", type: "KeyValue", id: 7 },
      startTimeUnixNano: { type: "fixed64", id: 2 },
      timeUnixNano: { type: "fixed64", id: 3 },
      asDouble: { type: "double", id: 4 },
      asInt: { type: "sfixed64", id: 6 },
    },
  },
  ExportMetricsServiceResponse: { fields: { partialSuccess: { type: "ExportMetricsPartialSuccess", id: 1 } } },
  ExportMetricsPartialSuccess: { fields: { rejectedDataPoints: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } } },
};

const root = protobuf.Root.fromJSON({ nested: { otlp: { nested: { ...common, ...traces, ...metrics } } } });

export const ExportTraceServiceRequest = root.lookupType("otlp.ExportTraceServiceRequest");
export const ExportTraceServiceResponse = root.lookupType("otlp.ExportTraceServiceResponse");
export const ExportMetricsServiceRequest = root.lookupType("otlp.ExportMetricsServiceRequest");
export const ExportMetricsServiceResponse = root.lookupType("otlp.ExportMetricsServiceResponse");
