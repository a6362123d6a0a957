/** Attribute names InferLedger reads (DESIGN.md "Attribution conventions") and GenAI semconv names it writes. */
export const IL = {
  feature: "inferledger.feature",
  taskType: "inferledger.task.type",
  taskId: "inferledger.task.id",
  taskOutcome: "inferledger.task.outcome",
  customerId: "inferledger.customer.id",
  promptName: "inferledger.prompt.name",
  promptVersion: "inferledger.prompt.version",
  promptSystemTokens: "inferledger.prompt.system_tokens",
  retryAttempt: "inferledger.retry.attempt",
} as const;

export const GEN_AI = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheWriteInputTokens: "gen_ai.usage.cache_write.input_tokens",
  reasoningOutputTokens: "gen_ai.usage.reasoning.output_tokens",
  responseId: "gen_ai.response.id",
  finishReasons: "gen_ai.response.finish_reasons",
  serverAddress: "server.address",
  errorType: "error.type",
} as const;
