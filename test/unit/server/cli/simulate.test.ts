import { describe, expect, it } from "vitest";
import { parseSimulateArgs, runSimulate } from "../../../../server/cli/simulate.ts";

const argv = (s: string): string[] => s.split(" ");
const CONTRACT = ["outputTokensPerSecond", "outputTokensPerSecondPerGpu", "maxConcurrency", "ttftMs", "tpotMs", "bound", "usdPerMillionOutputTokens"];

describe("inferledger simulate (CLI contract)", () => {
  it("prints one JSON object with the contract fields (offline by default)", () => {
    const r = runSimulate(argv("simulate --gpu h100-sxm --gpus 2 --model llama-3.1-70b --precision fp8 --isl 2048 --osl 128 --gpu-hourly-usd 2.49 --json"));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const json = JSON.parse(r.stdout) as Record<string, number | string>;
    for (const k of CONTRACT) expect(json, k).toHaveProperty(k);
    expect(json.mode).toBe("offline");
    expect(json.outputTokensPerSecond as number).toBeCloseTo((json.outputTokensPerSecondPerGpu as number) * 2, 0);
    expect(["compute", "bandwidth", "kv-capacity", "interconnect"]).toContain(json.bound);
    expect(json.usdPerMillionOutputTokens as number).toBeCloseTo(((2 * 2.49) / 3600 / (json.outputTokensPerSecond as number)) * 1e6, 2);
  });

  it("--concurrency sets the batch; --offline equals the default; without a price $/M is null", () => {
    const c = JSON.parse(runSimulate(argv("--gpu l4 --model llama-3.1-8b --precision fp8 --isl 256 --osl 64 --concurrency 4 --json")).stdout) as Record<string, unknown>;
    expect(c).toMatchObject({ batch: 4, mode: "concurrency", usdPerMillionOutputTokens: null });
    const a = runSimulate(argv("--gpu l4 --model llama-3.1-8b --precision fp8 --isl 256 --osl 64 --json")).stdout;
    const b = runSimulate(argv("--gpu l4 --model llama-3.1-8b --precision fp8 --isl 256 --osl 64 --offline --json")).stdout;
    expect(a).toBe(b);
  });

  it("unknown ids exit 2 with the valid ones listed", () => {
    const gpu = runSimulate(argv("--gpu h999 --model llama-3.1-8b --isl 1 --osl 1"));
    expect(gpu.exitCode).toBe(2);
    expect(gpu.stdout).toBe("");
    expect(gpu.stderr).toMatch(/unknown GPU "h999"; valid: a10g, l4, l40s, .*h100-sxm.*rtx-4090/);
    const model = runSimulate(argv("--gpu l4 --model gpt-9 --isl 1 --osl 1"));
    expect(model.exitCode).toBe(2);
    expect(model.stderr).toMatch(/unknown model "gpt-9"; valid: .*mixtral-8x7b.*qwen3-235b-a22b/);
    const precision = runSimulate(argv("--gpu l4 --model llama-3.1-8b --precision fp3 --isl 1 --osl 1"));
    expect(precision).toMatchObject({ exitCode: 2 });
    expect(precision.stderr).toMatch(/valid: fp16, bf16, fp8, int8, int4, fp4/);
  });

  it("usage errors exit 2; a model that does not fit exits 1", () => {
    for (const bad of ["--gpu l4 --model llama-3.1-8b --osl 1", "--gpu l4 --model llama-3.1-8b --isl 0 --osl 1", "--gpu l4 --model llama-3.1-8b --isl 1 --osl 1 --concurrency 2 --offline", "--gpu l4 --model llama-3.1-8b --isl 1 --osl 1 --bogus", "--gpu l4 --model llama-3.1-8b --isl 1 --osl 1 --gpu-hourly-usd abc"]) {
      expect(runSimulate(argv(bad)).exitCode, bad).toBe(2);
    }
    const tooBig = runSimulate(argv("--gpu l4 --model llama-3.1-405b --isl 100 --osl 100"));
    expect(tooBig.exitCode).toBe(1);
    expect(tooBig.stderr).toMatch(/no room/);
  });

  it("--help prints usage; --frontier adds the batch sweep; parse accepts --flag=value", () => {
    expect(runSimulate(["--help"])).toMatchObject({ exitCode: 0, stderr: "" });
    const f = JSON.parse(runSimulate(argv("--gpu=h200 --model=llama-3.1-8b --precision=fp8 --isl=512 --osl=256 --frontier --json")).stdout) as { frontier: { batch: number }[] };
    expect(f.frontier[0]!.batch).toBe(1);
    const p = parseSimulateArgs(argv("simulate --gpu=h200 --model llama-3.1-8b --isl 1 --osl 2 --kv-precision fp16"));
    expect(p.ok && !p.help && p.options.kvPrecision).toBe("fp16");
    expect(p.ok && !p.help && p.options.precision).toBe("fp16");
  });
});
