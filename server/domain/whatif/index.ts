/** What-if simulations over an org's hourly traffic: pure, no I/O. */
export * from "./types.ts";
export { indexTraffic, matches, type TrafficGroup, type TrafficIndex } from "./traffic-index.ts";
export { findPrice, priceTokens, type TokenCounts } from "./pricing.ts";
export { runWhatIf, type WhatIfOptions } from "./engine.ts";
export { planPool, type PoolDemand, type PoolPlan } from "./pool.ts";
export { blendedApiUsdPerMOutputTokens, breakEvenChart, type BreakEvenChart, type BreakEvenInput, type BreakEvenPoint } from "./break-even.ts";
export { decodeTrafficColumns, encodeTrafficColumns, type TrafficColumns } from "./traffic-columns.ts";
