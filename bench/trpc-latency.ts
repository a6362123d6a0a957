/**
 * Dashboard query latency: a real `inferledger serve` (embedded PGlite, or DATABASE_URL) with the demo org and
 * its back-filled history, signed in through better-auth like a browser, then every query a dashboard page makes,
 * called one at a time over HTTP with the session cookie (tRPC + superjson, as the pages do).
 *
 *   npx tsx bench/trpc-latency.ts [callsPerProcedure=40] [backfillDays=30]
 *   BETTER_AUTH_SECRET=<32+ chars> DATABASE_URL=postgres://…/<fresh database> npx tsx bench/trpc-latency.ts   (server mode)
 *
 * Reports p50 / p95 / max per procedure, server-side through the HTTP stack. Target (issue #7): p95 ≤ 150 ms.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/api/root.ts";

const calls = Number(process.argv[2] ?? 40);
const backfillDays = process.argv[3] ?? "30";
const PORT = 3590;
const base = `http://127.0.0.1:${PORT}`;
const password = "bench-demo-password";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inferledger-bench-trpc-"));

const server = spawn(process.execPath, ["bin/inferledger.mjs", "serve"], {
  env: { ...process.env, PORT: String(PORT), OTLP_HTTP_PORT: "4591", OTLP_GRPC_PORT: "4592", INFERLEDGER_DATA_DIR: dataDir, INFERLEDGER_DEMO: "1", INFERLEDGER_DEMO_PASSWORD: password, INFERLEDGER_DEMO_BACKFILL_DAYS: backfillDays, NEXT_TELEMETRY_DISABLED: "1" },
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout.on("data", (b: Buffer) => process.stderr.write(`[server] ${b}`));
let finished = false;
const stop = () => { finished = true; server.kill("SIGTERM"); fs.rmSync(dataDir, { recursive: true, force: true }); };
process.on("exit", stop);
// A server that cannot start (e.g. DATABASE_URL without BETTER_AUTH_SECRET) must end the run now, not after the
// 5-minute readiness timeout.
server.on("exit", (code) => {
  if (finished) return;
  console.error(`the server exited (code ${code}) before the benchmark finished; its error is above`);
  process.exit(1);
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function main() {
  await waitFor("the server", async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 300_000);
  const cookie = await waitFor("sign-in", async () => {
    const res = await fetch(`${base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: "demo@inferledger.local", password }) });
    return res.ok ? res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") : undefined;
  }, 60_000);
  const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${base}/api/trpc`, transformer: superjson, headers: { cookie, origin: base } })] });
  const orgSlug = "demo";
  // Processing the back-fill (settlement, rollups) takes a while: wait until the 30-day call count stops moving.
  // (Three polls in a row within 1 %: one quiet poll can fall between two settlement batches.)
  let last = -1;
  let quietPolls = 0;
  await waitFor("the back-fill to be rolled up", async () => {
    const o = await trpc.costs.overview.query({ orgSlug, period: "30d" });
    const n = o.current.calls;
    quietPolls = n > 0 && Math.abs(n - last) / n < 0.01 ? quietPolls + 1 : 0;
    last = n;
    await new Promise((r) => setTimeout(r, 3_000));
    return quietPolls >= 3 ? true : undefined;
  }, 600_000);
  await new Promise((r) => setTimeout(r, 5_000));

  const procedures: [string, () => Promise<unknown>][] = [
    ["orgs.get", () => trpc.orgs.get.query({ orgSlug })],
    ["costs.overview 30d", () => trpc.costs.overview.query({ orgSlug, period: "30d" })],
    ["costs.overview 90d", () => trpc.costs.overview.query({ orgSlug, period: "90d" })],
    ["costs.breakdown feature 30d", () => trpc.costs.breakdown.query({ orgSlug, period: "30d", dimension: "feature" })],
    ["costs.breakdown model 30d", () => trpc.costs.breakdown.query({ orgSlug, period: "30d", dimension: "model" })],
    ["costs.featureDetail 30d", () => trpc.costs.featureDetail.query({ orgSlug, period: "30d", feature: "support-bot" })],
    ["costs.promptGrowth", () => trpc.costs.promptGrowth.query({ orgSlug })],
    ["costs.pricingReview", () => trpc.costs.pricingReview.query({ orgSlug })],
    ["tasks.list", () => trpc.tasks.list.query({ orgSlug })],
    ["gpuPools.usage 7d", () => trpc.gpuPools.usage.query({ orgSlug, period: "7d" })],
    ["alerts.events", () => trpc.alerts.events.query({ orgSlug })],
  ];
  const results: { name: string; p50: number; p95: number; max: number }[] = [];
  for (const [name, call] of procedures) {
    await call(); // warm-up (JIT, catalog memo)
    const ms: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await call();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    results.push({ name, p50: pct(ms, 0.5), p95: pct(ms, 0.95), max: ms.at(-1)! });
  }
  console.log(`\n${calls} sequential calls per procedure, demo org with ${backfillDays} back-filled days (${last} calls in 30 days), ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}, ${os.cpus().length} cores\n`);
  console.log("| procedure | p50 ms | p95 ms | max ms |\n|---|---|---|---|");
  for (const r of results) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} |`);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
