import {
  context,
  createContextKey,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { GEN_AI, IL } from "./attributes.ts";

export { GEN_AI, IL };

export type StartOptions = {
  /** Collector base URL, e.g. http://localhost:4318 (traces go to /v1/traces). */
  endpoint: string;
  ingestKey: string;
  serviceName: string;
  /** Attributes on every span of this app, e.g. { "inferledger.feature": "support-bot" }. */
  resourceAttributes?: Attributes;
};

export type InferLedgerHandle = { tracer: Tracer; forceFlush: () => Promise<void>; shutdown: () => Promise<void> };

/**
 * Configures @opentelemetry/sdk-node to send traces to InferLedger over OTLP/HTTP protobuf with the org's
 * ingest key, and returns a tracer for withTask / tracedChatCompletion.
 */
export function startInferLedger(options: StartOptions): InferLedgerHandle {
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/$/, "")}/v1/traces`,
    headers: { authorization: `Bearer ${options.ingestKey}` },
  });
  const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 8192, maxExportBatchSize: 512, scheduledDelayMillis: 1000 });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ "service.name": options.serviceName, ...options.resourceAttributes }),
    spanProcessors: [processor],
    instrumentations: [],
  });
  sdk.start();
  return {
    tracer: trace.getTracer("inferledger-sdk"),
    forceFlush: () => processor.forceFlush(),
    shutdown: () => sdk.shutdown(),
  };
}

export type TaskInfo = { feature: string; taskType: string; taskId: string; customerId?: string };

const TASK_SPAN = createContextKey("inferledger.task-span");

/**
 * Runs fn as one task: a span carrying the task attributes (children inherit them as ancestors), plus
 * baggage so services called downstream attribute their calls to the same task.
 * The task fails if fn throws, unless recordOutcome said otherwise.
 */
export async function withTask<T>(info: TaskInfo, fn: () => Promise<T>, tracer: Tracer = trace.getTracer("inferledger-sdk")): Promise<T> {
  const attributes: Attributes = { [IL.feature]: info.feature, [IL.taskType]: info.taskType, [IL.taskId]: info.taskId };
  if (info.customerId) attributes[IL.customerId] = info.customerId;
  let baggage = propagation.getBaggage(context.active()) ?? propagation.createBaggage();
  for (const [k, v] of Object.entries(attributes)) baggage = baggage.setEntry(k, { value: String(v) });
  return tracer.startActiveSpan(`task ${info.taskType}`, { attributes }, async (span) => {
    const ctx = propagation.setBaggage(context.active(), baggage).setValue(TASK_SPAN, span);
    try {
      return await context.with(ctx, fn);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the current task's outcome (what IPD counts: successful tasks per dollar). */
export function recordOutcome(outcome: "success" | "failure"): void {
  const span = context.active().getValue(TASK_SPAN) as Span | undefined;
  span?.setAttribute(IL.taskOutcome, outcome);
}

type ChatUsage = {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
};
export type ChatParams = { model: string; messages: unknown[]; [key: string]: unknown };
export type ChatResponse = { id?: string; model?: string; usage?: ChatUsage; choices?: { finish_reason?: string }[] };
export type ChatClient = { chat: { completions: { create: (params: ChatParams) => Promise<ChatResponse> } } };

export type TracedCallOptions = {
  provider?: string;
  serverAddress?: string;
  promptName?: string;
  promptVersion?: string;
  promptSystemTokens?: number;
  retryAttempt?: number;
  tracer?: Tracer;
};

/**
 * Calls an OpenAI-compatible `chat.completions.create` inside a GenAI-semconv client span: provider, request and
 * response model, usage (input incl. cached, output incl. reasoning), errors as ERROR status + error.type.
 */
export async function tracedChatCompletion(client: ChatClient, params: ChatParams, options: TracedCallOptions = {}): Promise<ChatResponse> {
  const tracer = options.tracer ?? trace.getTracer("inferledger-sdk");
  const attributes: Attributes = {
    [GEN_AI.operationName]: "chat",
    [GEN_AI.providerName]: options.provider ?? "openai",
    [GEN_AI.requestModel]: params.model,
  };
  if (options.serverAddress) attributes[GEN_AI.serverAddress] = options.serverAddress;
  if (options.promptName) attributes[IL.promptName] = options.promptName;
  if (options.promptVersion) attributes[IL.promptVersion] = options.promptVersion;
  if (options.promptSystemTokens !== undefined) attributes[IL.promptSystemTokens] = options.promptSystemTokens;
  if (options.retryAttempt) attributes[IL.retryAttempt] = options.retryAttempt;
  return tracer.startActiveSpan(`chat ${params.model}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const response = await client.chat.completions.create(params);
      span.setAttributes(responseAttributes(response));
      return response;
    } catch (error) {
      const e = error as { name?: string; status?: number; message?: string };
      span.setAttribute(GEN_AI.errorType, e.status ? String(e.status) : (e.name ?? "Error"));
      span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function responseAttributes(response: ChatResponse): Attributes {
  const usage = response.usage ?? {};
  const attributes: Attributes = {};
  if (response.model) attributes[GEN_AI.responseModel] = response.model;
  if (response.id) attributes[GEN_AI.responseId] = response.id;
  if (usage.prompt_tokens !== undefined) attributes[GEN_AI.inputTokens] = usage.prompt_tokens;
  if (usage.completion_tokens !== undefined) attributes[GEN_AI.outputTokens] = usage.completion_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached) attributes[GEN_AI.cacheReadInputTokens] = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (reasoning) attributes[GEN_AI.reasoningOutputTokens] = reasoning;
  const reasons = response.choices?.map((c) => c.finish_reason).filter((r): r is string => Boolean(r));
  if (reasons?.length) attributes[GEN_AI.finishReasons] = reasons;
  return attributes;
}
