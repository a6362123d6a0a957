/** Collector vocabulary (after the OpenTelemetry Collector): receivers hand tenant-stamped batches to consumers. */
export type OtlpEncoding = "protobuf" | "json";
export type Signal = "traces" | "metrics";

/** Items the consumer refused (OTLP partial_success); zero rejected with a null message is full success. */
export type ExportResult = { rejected: number; errorMessage: string | null };

export interface OtlpConsumer {
  /** Decodes, normalizes and durably stores one request for `orgId` (sent with ingest key `keyId`). Throws CollectorError on failure. */
  consume(input: { signal: Signal; orgId: string; keyId?: string; body: Uint8Array; encoding: OtlpEncoding }): Promise<ExportResult>;
  /** Serializes the OTLP Export*ServiceResponse for the request's encoding. */
  encodeResponse(signal: Signal, result: ExportResult, encoding: OtlpEncoding): Uint8Array;
}

export interface KeyVerifier {
  verify(plain: string | null | undefined, kind: "ingest"): Promise<{ orgId: string; keyId: string } | null>;
}
