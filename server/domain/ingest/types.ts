/**
 * Shared shapes between OTLP decoding (collectors/), normalization (server/domain/ingest)
 * and the cost engine (server/domain/pricing, server/domain/attribution).
 * Token counts follow OTel semantics: inputTokens INCLUDES cache reads and cache writes;
 * outputTokens INCLUDES reasoning tokens.
 */

export type SpanStatus = "unset" | "ok" | "error";

/** Attribution context resolved for one span (span → ancestors → resource → baggage). */
export type AttributionContext = {
  feature: string | null; // inferledger.feature, falls back to service.name
  taskType: string | null;
  taskId: string | null; // explicit inferledger.task.id; null = the trace is the task
  taskOutcome: "success" | "failure" | null; // explicit only; defaulting happens in attribution
  customerId: string | null;
  promptName: string | null;
  promptVersion: string | null;
  promptSystemTokens: number | null;
  retryAttempt: number | null; // inferledger.retry.attempt or http.request.resend_count
};

/** Usage of one model inference call, normalized across semconv versions and vendors. */
export type LlmUsage = {
  provider: string | null; // gen_ai.provider.name (or legacy gen_ai.system), lower-case
  requestModel: string | null;
  responseModel: string | null;
  model: string | null; // responseModel ?? requestModel
  operation: string | null; // chat, text_completion, embeddings, generate_content, ...
  inputTokens: number; // total input incl. cache read + cache write
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number; // incl. reasoning
  reasoningTokens: number;
  isStreaming: boolean | null;
  ttftMs: number | null;
  errorType: string | null;
  serverAddress: string | null;
};

export type NormalizedSpan = {
  traceId: string; // 32 lower-case hex
  spanId: string; // 16 lower-case hex
  parentSpanId: string | null;
  name: string;
  kind: number; // OTLP SpanKind enum value
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: SpanStatus;
  statusMessage: string | null;
  serviceName: string | null;
  /** Attribution attributes found on THIS span/resource/baggage only (before ancestor resolution). */
  attribution: AttributionContext;
  /** Non-null when the span is a model inference call (not tool/agent/workflow spans). */
  llm: LlmUsage | null;
};

/** One GPU metric sample, normalized across dcgm-exporter, AMD, nvidia_gpu_exporter, OTel hw.gpu.*, OpenLIT. */
export type GpuSample = {
  gpuUuid: string;
  host: string | null;
  gpuModelName: string | null;
  timeUnixMs: number;
  utilizationRatio: number | null; // 0..1
  memoryUsedBytes: number | null;
  powerWatts: number | null;
  energyJoulesTotal: number | null; // cumulative counter as reported
  labels: Record<string, string>; // e.g. k8s pod/namespace, for pool match rules
};
