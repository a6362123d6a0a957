import { describe, expect, it } from "vitest";
import { catalogModelIdFor } from "../../../../../server/domain/gpu-model/model-names.ts";

describe("served model name → catalog model", () => {
  it("maps Hugging Face names and plain ids, and nothing else", () => {
    expect(catalogModelIdFor("meta-llama/Llama-3.1-70B-Instruct")).toBe("llama-3.1-70b");
    expect(catalogModelIdFor("meta-llama/Llama-3.1-8B-Instruct-FP8")).toBe("llama-3.1-8b");
    expect(catalogModelIdFor("mistralai/Mistral-7B-Instruct-v0.3")).toBe("mistral-7b");
    expect(catalogModelIdFor("llama-3.3-70b")).toBe("llama-3.3-70b");
    expect(catalogModelIdFor("Qwen/Qwen3-235B-A22B")).toBe("qwen3-235b-a22b");
    expect(catalogModelIdFor("llama-selfhost")).toBeNull();
  });
});
