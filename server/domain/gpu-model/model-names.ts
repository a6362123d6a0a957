import { MODELS } from "./catalog-models.ts";

/**
 * The catalog model a served model name refers to: Hugging Face style names lose their organisation prefix and
 * chat/instruct suffixes ("meta-llama/Llama-3.1-70B-Instruct" → llama-3.1-70b; "Mistral-7B-Instruct-v0.3" →
 * mistral-7b). Null when no catalog model matches.
 */
export function catalogModelIdFor(servedName: string): string | null {
  const base = servedName.toLowerCase().split("/").pop()!.replace(/[_ ]/g, "-");
  const stripped = base.replace(/-(instruct|chat|hf|it)(?=-|$)/g, "").replace(/-v\d+(\.\d+)*$/, "").replace(/-(fp8|awq|gptq|int4|int8|bf16|fp16)$/, "");
  for (const candidate of [base, stripped]) if (MODELS.some((m) => m.id === candidate)) return candidate;
  return null;
}
