import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { SERVE_NODE_FLAGS } from "../../server/runtime/serve-node-flags.ts";

// E2E_PORT_BASE lets two checkouts run their e2e suites side by side on one machine.
const portBase = Number(process.env.E2E_PORT_BASE ?? 0);
export const E2E_PORT = 3217 + portBase;
export const E2E_OTLP_PORT = 4327 + portBase;
export const E2E_OTLP_GRPC_PORT = 4337 + portBase;
const dataDir = path.join(os.tmpdir(), `inferledger-e2e-${process.pid}`);

/** A real `inferledger serve` on the embedded database, with the demo org, in Debian's chromium. */
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../../test-results/e2e",
  timeout: 180_000,
  // A 2-core machine also running the server's back-fill: give page transitions room before calling them failures.
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `rm -rf ${dataDir} && node ${SERVE_NODE_FLAGS.join(" ")} bin/inferledger.mjs serve`,
    cwd: path.resolve(import.meta.dirname, "../.."),
    url: `http://localhost:${E2E_PORT}/healthz`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(E2E_PORT),
      OTLP_HTTP_PORT: String(E2E_OTLP_PORT),
      OTLP_GRPC_PORT: String(E2E_OTLP_GRPC_PORT),
      INFERLEDGER_DATA_DIR: dataDir,
      INFERLEDGER_DEMO_PASSWORD: "e2e-demo-password",
      INFERLEDGER_DEMO_BACKFILL_DAYS: "12",
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
