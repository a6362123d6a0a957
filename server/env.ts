import { z } from "zod";

/** The only reader of process.env. Empty strings count as unset. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  INFERLEDGER_DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  OTLP_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(4318),
  OTLP_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(4317),
  HOST: z.string().default("0.0.0.0"),
  // The collector's own Prometheus metrics (GET /metrics): off unless a port is given; loopback unless told otherwise.
  INFERLEDGER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INFERLEDGER_METRICS_HOST: z.string().default("127.0.0.1"),
  INFERLEDGER_DEMO: z.enum(["0", "1"]).optional(),
  INFERLEDGER_DEMO_BACKFILL_DAYS: z.coerce.number().int().min(0).max(90).default(30),
  INFERLEDGER_DEMO_PASSWORD: z.string().min(8, "INFERLEDGER_DEMO_PASSWORD must have at least 8 characters").optional(),
  BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET must have at least 32 characters").optional(),
  INFERLEDGER_PUBLIC_URL: z.string().url().optional(),
  OTLP_MAX_BODY_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  OTLP_MAX_QUEUE_SPANS: z.coerce.number().int().positive().default(200_000),
  // Spans of concurrent requests written in one transaction (latency vs. per-transaction overhead).
  OTLP_SPAN_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(1_024),
  // Span transactions in flight at once (each holds a database connection while it runs).
  OTLP_SPAN_FLUSH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  // Collector processes sharing the OTLP ports (node:cluster), each a thread of decoding and writing; needs a
  // PostgreSQL server (DATABASE_URL): the embedded database lives in one process.
  OTLP_COLLECTOR_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  // Set by the collector cluster in the processes it starts (their slot, 1…N, for log lines); not for operators.
  INFERLEDGER_COLLECTOR_PROCESS: z.string().optional(),
  // Per ingest key token buckets (0 disables that limit); over them: 429 + Retry-After / RESOURCE_EXHAUSTED.
  OTLP_KEY_REQUESTS_PER_SEC: z.coerce.number().min(0).max(1_000_000).default(100),
  OTLP_KEY_REQUEST_BURST: z.coerce.number().int().positive().default(200),
  OTLP_KEY_SPANS_PER_SEC: z.coerce.number().min(0).max(100_000_000).default(25_000),
  OTLP_KEY_SPAN_BURST: z.coerce.number().int().positive().default(100_000),
  // A task with more model calls than this is flagged as a runaway agent loop (waste alerts count them).
  INFERLEDGER_LOOP_CALL_THRESHOLD: z.coerce.number().int().min(2).max(100_000).default(20),
  // Alert delivery attempts older than this are pruned (the log shows what happened recently, not forever).
  INFERLEDGER_DELIVERY_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // Scrape targets and alert webhooks on private, loopback or link-local addresses: "deny" keeps tenants from making
  // the service call its own network (SSRF); unset = allowed on the embedded single-box install only, denied with DATABASE_URL.
  INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS: z.enum(["allow", "deny"]).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  TEST_DATABASE_URL: z.string().optional(),
  E2E_REQUIRED: z.enum(["0", "1"]).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Parses process.env once; throws a readable error naming every bad variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  if (parsed.data.DATABASE_URL && !parsed.data.BETTER_AUTH_SECRET && parsed.data.NODE_ENV === "production") {
    throw new Error("Invalid environment:\n  BETTER_AUTH_SECRET: required when DATABASE_URL is set (server mode)");
  }
  cached = parsed.data;
  return cached;
}

/** Tests and the CLI change process.env at run time; they call this to re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}

export function isEmbeddedMode(env: Env = getEnv()): boolean {
  return !env.DATABASE_URL;
}

/** Whether GPU exporter scrapes and alert deliveries may reach private networks (see INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS). */
export function outboundPrivateNetworksAllowed(env: Env = getEnv()): boolean {
  if (env.INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS) return env.INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS === "allow";
  return isEmbeddedMode(env);
}

/** Demo org and traffic: on by default in embedded mode, opt-in with INFERLEDGER_DEMO=1 on a real server. */
export function isDemoEnabled(env: Env = getEnv()): boolean {
  if (env.INFERLEDGER_DEMO) return env.INFERLEDGER_DEMO === "1";
  return isEmbeddedMode(env);
}

export function publicUrl(env: Env = getEnv()): string {
  return env.INFERLEDGER_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/** Origins whose pages may send cookie-authenticated mutations: the public URL and this machine's own port. */
export function trustedOrigins(env: Env = getEnv()): string[] {
  return [...new Set([new URL(publicUrl(env)).origin, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`])];
}
