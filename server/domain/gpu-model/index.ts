/** GPU throughput model: pure and isomorphic (runs in the browser for the what-if page). */
export * from "./catalog.ts";
export * from "./efficiency.ts";
export { callTimeMs, embeddingParams, kvBytesPerToken, memoryPlan, predict, weightBytes, weightBytesRead, type Bound, type Prediction, type Workload } from "./model.ts";
export * from "./frontier.ts";
export * from "./calibration.ts";
export * from "./break-even.ts";
