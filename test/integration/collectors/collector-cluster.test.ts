import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

type Org = Awaited<ReturnType<typeof createTestOrg>>;
const CLI = path.resolve(import.meta.dirname, "../../../bin/inferledger.mjs");
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const traces = (traceNo: number, spans: number) =>
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: spans }, (_, i) => ({
      traceId: hex(traceNo, 32), spanId: hex(i + 1, 16), name: "chat",
      startTimeUnixNano: "1760000000000000000", endTimeUnixNano: "1760000000100000000",
      attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }, { key: "gen_ai.request.model", value: { stringValue: "gpt-4o" } },
        { key: "gen_ai.usage.input_tokens", value: { intValue: 100 } }],
    })) }] }],
  });

/** One POST on a connection of its own, so the primary hands each request to the next process (round robin). */
function post(url: string, key: string, body: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/traces`, { method: "POST", agent: false, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Pids of the collector processes whose parent is `pid` (Linux /proc): children running the CLI, not e.g. the esbuild
 * service that tsx starts when its transform cache is cold.
 */
function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("inferledger.mjs")) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A cluster needs a PostgreSQL server: the embedded database lives in one process.
describe.runIf(inject("databaseKind") === "postgresql")("the collector as two processes on the same ports (OTLP_COLLECTOR_PROCESSES=2)", () => {
  const db = testDb();
  let primary: ChildProcess;
  let output = "";
  let httpUrl: string;
  let grpcPort: number;
  let metricsUrl: string;
  const orgs: Org[] = [];
  const stored = (org: Org) => db.prisma.span.count({ where: { orgId: org.org.id } });

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) orgs.push(await createTestOrg(db));
    primary = spawn(process.execPath, [CLI, "serve", "--role", "collector"], {
      env: {
        ...process.env, DATABASE_URL: inject("databaseUrl"), OTLP_COLLECTOR_PROCESSES: "2", OTLP_HTTP_PORT: "0", OTLP_GRPC_PORT: "0",
        INFERLEDGER_METRICS_PORT: "0", INFERLEDGER_DEMO: "0", HOST: "127.0.0.1",
        // Six requests per key and (practically) no refill: what the two processes admit together is exact.
        OTLP_KEY_REQUESTS_PER_SEC: "0.001", OTLP_KEY_REQUEST_BURST: "6",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    primary.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    httpUrl = await until("the collector's URL", () => /OTLP\/HTTP collector:\s+(http:\/\/localhost:\d+)/.exec(output)?.[1], 90_000);
    grpcPort = Number(/OTLP\/gRPC collector on :(\d+)/.exec(output)![1]);
    metricsUrl = /collector metrics on (http:\S+)/.exec(output)![1]!;
  }, 120_000);

  afterAll(async () => {
    if (primary.exitCode === null) primary.kill("SIGKILL");
    await closeTestDb();
  });

  it("runs two collector processes under the primary, which migrated once", () => {
    expect(childPids(primary.pid!)).toHaveLength(2);
    expect(output.match(/migrations:/g)).toHaveLength(1);
    expect(output).toContain("collector: 2 processes on the same ports");
  });

  it("one key's token bucket is shared: 6 requests admitted over both processes together, then 429 + Retry-After", async () => {
    const [a] = orgs;
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await post(httpUrl, a!.ingestKey.key, traces(1_000 + i, 1)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(Number(results[6]!.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(results[6]!.body)).toMatchObject({ code: 8, message: expect.stringContaining("rate limit for this ingest key exceeded") });
    expect(await stored(a!)).toBe(6); // the refused requests stored nothing
  });

  it("a batch re-sent through the other process is stored once", async () => {
    const b = orgs[1]!;
    for (let i = 0; i < 3; i++) expect((await post(httpUrl, b.ingestKey.key, traces(2_000, 4))).status).toBe(200);
    expect(await stored(b)).toBe(4);
  });

  it("OTLP/gRPC is served by the processes on the shared port", async () => {
    const c = orgs[2]!;
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${c.ingestKey.key}`);
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}`, metadata }))] });
    provider.getTracer("test").startSpan("chat gpt-4o", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" } }).end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(await stored(c)).toBe(1);
  });

  it("/metrics on the primary sums the processes' counters", async () => {
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toContain('inferledger_collector_requests_total{signal="traces",outcome="ok"} 10'); // 6 + 3 + 1 gRPC
    expect(text).toContain('inferledger_collector_requests_total{signal="traces",outcome="429"} 4');
  });

  it("a process that dies is replaced, and ingest goes on", async () => {
    const [victim, survivor] = childPids(primary.pid!);
    process.kill(victim!, "SIGKILL");
    const replaced = await until("a replacement process", () => {
      const now = childPids(primary.pid!);
      return now.length === 2 && !now.includes(victim!) && now.includes(survivor!) ? now : undefined;
    });
    await until("the primary's log line", () => (/collector process \d exited \(SIGKILL\); starting another/.test(output) ? true : undefined));
    const d = orgs[3]!;
    await until("the replacement to be ready", () => (/collector process \d replaced/.test(output) ? true : undefined));
    for (let i = 0; i < 4; i++) expect((await post(httpUrl, d.ingestKey.key, traces(3_000 + i, 1))).status).toBe(200);
    expect(await stored(d)).toBe(4);
    expect(replaced).toHaveLength(2);
  });

  it("SIGTERM to the primary stops every process cleanly (exit code 0, no process left)", async () => {
    const workers = childPids(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    await until("the processes to exit", () => (workers.every((pid) => !alive(pid)) ? true : undefined), 10_000);
    await until("the processes' log lines", () => (output.match(/collector \d: stop requested by the collector primary: draining and stopping/g)?.length === 2 ? true : undefined), 5_000);
  }, 60_000);
});
