import { z } from "zod";

/**
 * Transformer shapes, from the public checkpoints' config.json. Params in billions, counting embeddings
 * (`activeParamsB` = parameters used per token; equal to `paramsB` for dense models). Mixture-of-experts models
 * carry `moe` (experts per layer, experts routed per token) so the weight bytes a decode step touches can be derived.
 */
export const ModelSpecSchema = z
  .object({
    id: z.string().min(1).regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case id: letters, digits, . _ -"),
    name: z.string().min(1),
    paramsB: z.number().positive(),
    activeParamsB: z.number().positive(),
    layers: z.number().int().positive(),
    hiddenSize: z.number().int().positive(),
    heads: z.number().int().positive(),
    kvHeads: z.number().int().positive(),
    headDim: z.number().int().positive(),
    vocabSize: z.number().int().positive(),
    tiedEmbeddings: z.boolean(),
    maxContext: z.number().int().positive(),
    moe: z.object({ experts: z.number().int().min(2), expertsPerToken: z.number().int().positive() }).nullable(),
  })
  .refine((m) => m.activeParamsB <= m.paramsB, { message: "activeParamsB must not exceed paramsB" })
  .refine((m) => m.kvHeads <= m.heads, { message: "kvHeads must not exceed heads" })
  .refine((m) => (m.moe === null ? m.activeParamsB === m.paramsB : m.moe.expertsPerToken < m.moe.experts && m.activeParamsB < m.paramsB), {
    message: "dense models have activeParamsB = paramsB; MoE models route fewer experts than they have",
  });
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

type Shape = [paramsB: number, activeParamsB: number, layers: number, hidden: number, heads: number, kvHeads: number, headDim: number, vocab: number, maxContext: number];

function model(id: string, name: string, s: Shape, moe: ModelSpec["moe"] = null, tiedEmbeddings = false): ModelSpec {
  const [paramsB, activeParamsB, layers, hiddenSize, heads, kvHeads, headDim, vocabSize, maxContext] = s;
  return ModelSpecSchema.parse({ id, name, paramsB, activeParamsB, layers, hiddenSize, heads, kvHeads, headDim, vocabSize, tiedEmbeddings, maxContext, moe });
}

/** The built-in models (validated at load). */
export const MODELS: readonly ModelSpec[] = [
  model("llama-3.1-8b", "Llama 3.1 8B", [8.03, 8.03, 32, 4096, 32, 8, 128, 128256, 131072]),
  model("llama-3.1-70b", "Llama 3.1 70B", [70.55, 70.55, 80, 8192, 64, 8, 128, 128256, 131072]),
  model("llama-3.3-70b", "Llama 3.3 70B", [70.55, 70.55, 80, 8192, 64, 8, 128, 128256, 131072]),
  model("llama-3.1-405b", "Llama 3.1 405B", [405.85, 405.85, 126, 16384, 128, 8, 128, 128256, 131072]),
  model("llama-2-70b", "Llama 2 70B", [68.98, 68.98, 80, 8192, 64, 8, 128, 32000, 4096]),
  model("mistral-7b", "Mistral 7B v0.3", [7.25, 7.25, 32, 4096, 32, 8, 128, 32768, 32768]),
  model("mixtral-8x7b", "Mixtral 8x7B", [46.7, 12.9, 32, 4096, 32, 8, 128, 32000, 32768], { experts: 8, expertsPerToken: 2 }),
  model("qwen3-235b-a22b", "Qwen3 235B-A22B", [235.09, 22.14, 94, 4096, 64, 4, 128, 151936, 32768], { experts: 128, expertsPerToken: 8 }),
];

/** Validates a user-defined model (throws a ZodError listing the bad fields). */
export function defineModel(input: unknown): ModelSpec {
  return ModelSpecSchema.parse(input);
}
