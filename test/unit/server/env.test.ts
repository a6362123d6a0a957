import { afterEach, describe, expect, it } from "vitest";
import { getEnv, isDemoEnabled, resetEnvCache, outboundPrivateNetworksAllowed } from "../../../server/env.ts";

const saved = { ...process.env };

describe("environment validation", () => {
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it("defaults to embedded mode with the demo on", () => {
    delete process.env.DATABASE_URL;
    delete process.env.INFERLEDGER_DEMO;
    process.env.PORT = "";
    resetEnvCache();
    const env = getEnv();
    expect(env.PORT).toBe(3000);
    expect(env.OTLP_HTTP_PORT).toBe(4318);
    expect(env.OTLP_SPAN_BATCH_ROWS).toBe(1024);
    expect(isDemoEnabled(env)).toBe(true);
  });

  it("scrapes may reach private networks on the embedded install only, unless set", () => {
    delete process.env.INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS;
    delete process.env.DATABASE_URL;
    resetEnvCache();
    expect(outboundPrivateNetworksAllowed()).toBe(true);
    process.env.DATABASE_URL = "postgres://db.example/app";
    process.env.BETTER_AUTH_SECRET = "s".repeat(32);
    resetEnvCache();
    expect(outboundPrivateNetworksAllowed()).toBe(false);
    process.env.INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS = "allow";
    resetEnvCache();
    expect(outboundPrivateNetworksAllowed()).toBe(true);
    process.env.INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS = "yes";
    resetEnvCache();
    expect(() => getEnv()).toThrow(/INFERLEDGER_OUTBOUND_PRIVATE_NETWORKS/);
  });

  it("server mode: demo is opt-in and a secret is required in production", () => {
    process.env.DATABASE_URL = "postgres://db.example/app";
    (process.env as Record<string, string>).NODE_ENV = "production";
    delete process.env.BETTER_AUTH_SECRET;
    resetEnvCache();
    expect(() => getEnv()).toThrow(/BETTER_AUTH_SECRET/);
    process.env.BETTER_AUTH_SECRET = "s".repeat(32);
    resetEnvCache();
    expect(isDemoEnabled(getEnv())).toBe(false);
  });

  it("names every invalid variable", () => {
    process.env.PORT = "not-a-port";
    process.env.DATABASE_URL = "mysql://nope";
    resetEnvCache();
    expect(() => getEnv()).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
  });

  it("per-key ingest rate limits: defaults, 0 disables, bad values are named", () => {
    resetEnvCache();
    expect(getEnv()).toMatchObject({ OTLP_KEY_REQUESTS_PER_SEC: 100, OTLP_KEY_REQUEST_BURST: 200, OTLP_KEY_SPANS_PER_SEC: 25_000, OTLP_KEY_SPAN_BURST: 100_000 });
    process.env.OTLP_KEY_SPANS_PER_SEC = "0";
    resetEnvCache();
    expect(getEnv().OTLP_KEY_SPANS_PER_SEC).toBe(0);
    process.env.OTLP_KEY_REQUESTS_PER_SEC = "-1";
    process.env.OTLP_KEY_SPAN_BURST = "0";
    resetEnvCache();
    expect(() => getEnv()).toThrow(/OTLP_KEY_REQUESTS_PER_SEC[\s\S]*OTLP_KEY_SPAN_BURST/);
  });

  it("agent-loop threshold: default 20 model calls per task, configurable, nonsense refused", () => {
    resetEnvCache();
    expect(getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD).toBe(20);
    process.env.INFERLEDGER_LOOP_CALL_THRESHOLD = "50";
    resetEnvCache();
    expect(getEnv().INFERLEDGER_LOOP_CALL_THRESHOLD).toBe(50);
    process.env.INFERLEDGER_LOOP_CALL_THRESHOLD = "1";
    resetEnvCache();
    expect(() => getEnv()).toThrow(/INFERLEDGER_LOOP_CALL_THRESHOLD/);
  });
});
