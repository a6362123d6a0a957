import { context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { GEN_AI, IL, responseAttributes } from "../sdk/index.ts";
import type { DemoCall, DemoTask } from "./scenarios.ts";

/**
 * Emits one task as real OTel spans with explicit timestamps (history is back-filled through the same OTLP
 * path as live data): a root task span with the attribution attributes and one GenAI client span per call.
 */
export function emitTask(tracer: Tracer, task: DemoTask, startMs: number, taskId: string): void {
  const root = tracer.startSpan(
    `task ${task.taskType}`,
    {
      startTime: startMs,
      attributes: {
        [IL.feature]: task.feature,
        [IL.taskType]: task.taskType,
        [IL.taskId]: taskId,
        [IL.customerId]: task.customerId,
        [IL.taskOutcome]: task.outcome,
      },
    },
  );
  const parent = trace.setSpan(context.active(), root);
  let t = startMs + 5;
  let attempt = 0;
  for (const call of task.calls) {
    emitCall(tracer, call, t, attempt, parent);
    t += call.durationMs + 20;
    attempt = call.error ? attempt + 1 : 0;
  }
  if (task.outcome === "failure") root.setStatus({ code: SpanStatusCode.ERROR, message: "task failed" });
  root.end(t);
}

function emitCall(tracer: Tracer, call: DemoCall, startMs: number, attempt: number, parent: ReturnType<typeof trace.setSpan>): void {
  const span = tracer.startSpan(
    `chat ${call.model}`,
    {
      kind: SpanKind.CLIENT,
      startTime: startMs,
      attributes: {
        [GEN_AI.operationName]: "chat",
        [GEN_AI.providerName]: call.provider,
        [GEN_AI.requestModel]: call.model,
        ...(call.serverAddress ? { [GEN_AI.serverAddress]: call.serverAddress } : {}),
        ...(call.promptName ? { [IL.promptName]: call.promptName, [IL.promptVersion]: call.promptVersion ?? "" } : {}),
        ...(call.promptSystemTokens ? { [IL.promptSystemTokens]: call.promptSystemTokens } : {}),
        // Half of the retries say so explicitly; the others are found by the "next call after an error" rule.
        ...(attempt > 0 && attempt % 2 === 1 ? { [IL.retryAttempt]: attempt } : {}),
      },
    },
    parent,
  );
  if (call.error) {
    // The attempt timed out after the provider read the prompt: its input tokens are billed and wasted.
    span.setAttribute(GEN_AI.inputTokens, call.inputTokens);
    span.setAttribute(GEN_AI.outputTokens, 0);
    span.setAttribute(GEN_AI.errorType, call.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `provider answered ${call.error}` });
  } else {
    span.setAttributes(
      responseAttributes({
        model: call.model,
        usage: {
          prompt_tokens: call.inputTokens,
          completion_tokens: call.outputTokens,
          prompt_tokens_details: { cached_tokens: call.cacheReadTokens },
          completion_tokens_details: { reasoning_tokens: call.reasoningTokens },
        },
      }),
    );
  }
  span.end(startMs + call.durationMs);
}

export { SpanKind };
