import type { ExportResult, OtlpEncoding, Signal } from "../types.ts";
import { ExportMetricsServiceResponse, ExportTraceServiceResponse } from "./proto-schema.ts";

/** Export*ServiceResponse: partial_success only when something was rejected or there is a message. */
export function encodeExportResponse(signal: Signal, result: ExportResult, encoding: OtlpEncoding): Uint8Array {
  const partial = result.rejected > 0 || result.errorMessage;
  const countKey = signal === "traces" ? "rejectedSpans" : "rejectedDataPoints";
  if (encoding === "json") {
    const body = partial ? { partialSuccess: { [countKey]: String(result.rejected), errorMessage: result.errorMessage ?? "" } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const type = signal === "traces" ? ExportTraceServiceResponse : ExportMetricsServiceResponse;
  const message = type.create(partial ? { partialSuccess: { [countKey]: result.rejected, errorMessage: result.errorMessage ?? "" } } : {});
  return type.encode(message).finish();
}
