import type { Rng } from "./rng.ts";

/** One simulated model call: what the fake provider answers and how long it takes. */
export type DemoCall = {
  // error: e.g. "timeout" → the app retries; the failed attempt's input is billed (retry waste)
  provider: string;
  model: string;
  serverAddress?: string;
  inputTokens: number; // total, incl. cache read
  cacheReadTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  durationMs: number;
  error: string | null;
  promptName?: string;
  promptVersion?: string;
  promptSystemTokens?: number;
};

export type DemoTask = { feature: string; taskType: string; customerId: string; outcome: "success" | "failure"; calls: DemoCall[] };

const CUSTOMERS = ["acme", "globex", "initech", "umbrella", "hooli"] as const;
const DAY_MS = 86_400_000;

/**
 * The demo org's product: a support bot (gpt-4o-mini, occasional 429 + retry), a code reviewer whose system
 * prompt grows over the last week (prompt creep, claude-sonnet-4 with prompt caching), a research agent that
 * sometimes loops, and a summarizer on a self-hosted Llama 3.1 70B pool.
 */
export function demoTasksForMinute(rng: Rng, atMs: number, nowMs: number): DemoTask[] {
  const daysAgo = (nowMs - atMs) / DAY_MS;
  const hour = new Date(atMs).getUTCHours();
  const busy = hour >= 8 && hour <= 20 ? 1 : 0.35; // daytime traffic peaks (the self-hosted pool idles at night)
  const tasks: DemoTask[] = [];
  if (rng.chance(0.12 * busy)) tasks.push(supportTicket(rng));
  if (rng.chance(0.05 * busy)) tasks.push(codeReview(rng, daysAgo));
  if (rng.chance(0.015 * busy)) tasks.push(researchAgent(rng));
  if (rng.chance(0.08 * busy)) tasks.push(summarize(rng));
  return tasks;
}

function supportTicket(rng: Rng): DemoTask {
  const calls: DemoCall[] = [];
  const turns = rng.int(1, 3);
  for (let i = 0; i < turns; i++) {
    const failed = rng.chance(0.06);
    const base = { provider: "openai", model: "gpt-4o-mini-2024-07-18", promptName: "support-answer", promptVersion: "v3", promptSystemTokens: 420 };
    const call = { ...base, inputTokens: rng.int(900, 2400), cacheReadTokens: 0, outputTokens: rng.int(120, 450), reasoningTokens: 0, durationMs: rng.int(600, 2200) };
    if (failed) calls.push({ ...call, outputTokens: 0, durationMs: rng.int(20_000, 30_000), error: "timeout" });
    calls.push({ ...call, error: null });
  }
  return { feature: "support-bot", taskType: "resolve-ticket", customerId: rng.pick(CUSTOMERS), outcome: rng.chance(0.9) ? "success" : "failure", calls };
}

function codeReview(rng: Rng, daysAgo: number): DemoTask {
  // The reviewer's instructions grew by ~45% a week ago (v7 → v8): prompt creep with a real $ impact.
  const grown = daysAgo < 7;
  const systemTokens = grown ? 5200 : 3600;
  const diffTokens = rng.int(2000, 9000);
  const cacheRead = rng.chance(0.7) ? systemTokens : 0;
  return {
    feature: "code-review",
    taskType: "review-pr",
    customerId: rng.pick(CUSTOMERS),
    outcome: rng.chance(0.95) ? "success" : "failure",
    calls: [
      {
        provider: "anthropic",
        model: "claude-sonnet-4-20250514",
        inputTokens: systemTokens + diffTokens,
        cacheReadTokens: cacheRead,
        outputTokens: rng.int(300, 1500),
        reasoningTokens: 0,
        durationMs: rng.int(3000, 12000),
        error: null,
        promptName: "review-instructions",
        promptVersion: grown ? "v8" : "v7",
        promptSystemTokens: systemTokens,
      },
    ],
  };
}

function researchAgent(rng: Rng): DemoTask {
  const runaway = rng.chance(0.12);
  const steps = runaway ? rng.int(28, 45) : rng.int(3, 9);
  const calls: DemoCall[] = [];
  let context = 1500;
  for (let i = 0; i < steps; i++) {
    context += rng.int(300, 900); // agents re-send their growing context every step
    calls.push({ provider: "openai", model: "gpt-4.1", inputTokens: context, cacheReadTokens: i > 0 ? Math.floor(context * 0.5) : 0, outputTokens: rng.int(80, 400), reasoningTokens: 0, durationMs: rng.int(900, 4000), error: null });
  }
  return { feature: "research-agent", taskType: "answer-question", customerId: rng.pick(CUSTOMERS), outcome: runaway ? "failure" : rng.chance(0.85) ? "success" : "failure", calls };
}

function summarize(rng: Rng): DemoTask {
  return {
    feature: "summarizer",
    taskType: "summarize-doc",
    customerId: rng.pick(CUSTOMERS),
    outcome: rng.chance(0.97) ? "success" : "failure",
    calls: [
      { provider: "vllm", model: "meta-llama/Llama-3.1-70B-Instruct", serverAddress: "llama-70b.gpu.internal", inputTokens: rng.int(3000, 12000), cacheReadTokens: 0, outputTokens: rng.int(200, 600), reasoningTokens: 0, durationMs: rng.int(2000, 7000), error: null },
    ],
  };
}
