import { startInferLedger, recordOutcome, tracedChatCompletion, withTask, type ChatClient } from "../sdk/index.ts";
import { emitTask } from "./emit.ts";
import { dcgmMetricsRequest } from "./gpu-metrics.ts";
import { createRng } from "./rng.ts";
import { demoTasksForMinute } from "./scenarios.ts";

const MINUTE_MS = 60_000;
const GPU_SAMPLE_EVERY_MS = 15 * MINUTE_MS;

export type DemoTrafficOptions = {
  endpoint: string; // collector base URL
  ingestKey: string;
  /** Back-fill history from here (e.g. 30 days ago, or the newest stored span) up to now. */
  backfillFromMs: number;
  liveIntervalMs: number;
  log: (line: string) => void;
  nowMs?: () => number;
};

/** An OpenAI-compatible client that answers instantly with plausible usage (no network, no API keys). */
function fakeChatClient(rng: ReturnType<typeof createRng>): ChatClient {
  return {
    chat: {
      completions: {
        create: async (params) => {
          if (rng.chance(0.05)) throw Object.assign(new Error("rate limited"), { status: 429 });
          const prompt = rng.int(900, 2400);
          return {
            id: `chatcmpl-${rng.hex(12)}`,
            model: `${params.model}-2024-07-18`,
            usage: { prompt_tokens: prompt, completion_tokens: rng.int(120, 450), prompt_tokens_details: { cached_tokens: rng.chance(0.3) ? 1024 : 0 } },
            choices: [{ finish_reason: "stop" }],
          };
        },
      },
    },
  };
}

/**
 * The demo org's traffic, sent like any tenant app would: the InferLedger SDK helper (OTLP/HTTP protobuf)
 * for spans and OTLP/JSON for DCGM-style GPU metrics. History first, then live traffic until stopped.
 */
export async function runDemoTraffic(options: DemoTrafficOptions): Promise<{ stop: () => Promise<void> }> {
  const now = options.nowMs ?? Date.now;
  const sdk = startInferLedger({ endpoint: options.endpoint, ingestKey: options.ingestKey, serviceName: "demo-app" });
  const rng = createRng(0x1ed6e5 ^ Math.floor(options.backfillFromMs / MINUTE_MS));
  let taskSeq = 0;
  const taskId = () => `task-${rng.hex(8)}-${++taskSeq}`;
  let stopped = false;

  const sendGpuMetrics = async (timesMs: number[]) => {
    if (timesMs.length === 0) return;
    const res = await fetch(`${options.endpoint}/v1/metrics`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.ingestKey}` },
      body: JSON.stringify(dcgmMetricsRequest(rng, timesMs)),
    });
    if (!res.ok) options.log(`demo: GPU metrics rejected: ${res.status} ${await res.text()}`);
  };

  const backfill = async () => {
    const endMs = now();
    let gpuTimes: number[] = [];
    let spansThisChunk = 0;
    for (let t = Math.ceil(options.backfillFromMs / MINUTE_MS) * MINUTE_MS; t < endMs && !stopped; t += MINUTE_MS) {
      for (const task of demoTasksForMinute(rng, t, endMs)) {
        emitTask(sdk.tracer, task, t + rng.int(0, 50_000), taskId());
        spansThisChunk += task.calls.length + 1;
      }
      if (t % GPU_SAMPLE_EVERY_MS === 0) gpuTimes.push(t);
      if (spansThisChunk > 3000 || gpuTimes.length >= 96) {
        await sdk.forceFlush();
        await sendGpuMetrics(gpuTimes);
        gpuTimes = [];
        spansThisChunk = 0;
      }
    }
    await sdk.forceFlush();
    await sendGpuMetrics(gpuTimes);
  };

  const client = fakeChatClient(rng);
  const liveTick = async () => {
    const t = now();
    for (const task of demoTasksForMinute(rng, t - 60_000, t)) emitTask(sdk.tracer, task, t - 60_000 + rng.int(0, 50_000), taskId());
    // One support ticket through the SDK's live helpers, exactly as a tenant app would write it.
    await withTask({ feature: "support-bot", taskType: "resolve-ticket", taskId: taskId(), customerId: "acme" }, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await tracedChatCompletion(client, { model: "gpt-4o-mini", messages: [{ role: "user", content: "Where is my order?" }] }, { retryAttempt: attempt, promptName: "support-answer", promptVersion: "v3", promptSystemTokens: 420 });
          recordOutcome("success");
          return;
        } catch {
          // retried below; the failed attempt stays on the trace as waste
        }
      }
      recordOutcome("failure");
    }, sdk.tracer);
    await sendGpuMetrics([t]);
    await sdk.forceFlush();
  };

  const started = Date.now();
  const done = backfill()
    .then(() => options.log(`demo traffic: history back-filled in ${((Date.now() - started) / 1000).toFixed(1)} s; live traffic every ${options.liveIntervalMs / 1000} s`))
    .catch((error) => options.log(`demo traffic back-fill failed: ${(error as Error).message}`));
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      liveTick()
        .catch((error) => options.log(`demo traffic: ${(error as Error).message}`))
        .finally(schedule);
    }, options.liveIntervalMs);
  };
  void done.then(schedule);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await done;
      await sdk.shutdown().catch(() => undefined);
    },
  };
}
