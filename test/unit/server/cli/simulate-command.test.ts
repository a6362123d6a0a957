import { describe, expect, it } from "vitest";
import { main } from "../../../../server/cli/main.ts";

const run = async (argv: string[]) => {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
};

describe("inferledger simulate (wired CLI command)", () => {
  it("prints one JSON object with the contract fields", async () => {
    const { code, out } = await run(["simulate", "--gpu", "h100-sxm", "--gpus", "2", "--model", "llama-3.1-70b", "--precision", "fp8", "--isl", "2048", "--osl", "128", "--gpu-hourly-usd", "2.49", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    for (const k of ["outputTokensPerSecond", "outputTokensPerSecondPerGpu", "maxConcurrency", "ttftMs", "tpotMs", "bound", "usdPerMillionOutputTokens"]) expect(json, k).toHaveProperty(k);
    expect(Number(json.outputTokensPerSecond)).toBeGreaterThan(0);
  });

  it("unknown ids exit 2 and list the valid ones", async () => {
    const bad = await run(["simulate", "--gpu", "h999", "--model", "llama-3.1-8b", "--isl", "1", "--osl", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("h100-sxm");
  });
});
