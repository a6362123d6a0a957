/** Compatibility entry point (the what-if page and the CLI command import from here): the model lives in model.ts. */
export { DEFAULT_EFFICIENCY, kvBytesPerToken, predict, weightBytes, type Bound, type Efficiency, type Prediction, type Workload } from "./model.ts";
export { frontier, operatingPoint, type FrontierPoint } from "./frontier.ts";
