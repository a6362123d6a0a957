"use client";
import type { CacheScenario, CascadeScenario, RepriceScenario, TrimScenario } from "~/server/domain/whatif/types.ts";
import { FeatureMatch, NumberField, PercentSlider, SelectField } from "./fields.tsx";
import type { TrafficChoices } from "./traffic-context.ts";

const priceKey = (p: { provider: string; model: string }) => `${p.provider}/${p.model}`;

/** Cascade (5): a share of a feature's calls to a cheaper model; escalated calls are redone on the original. */
export function CascadeEditor({ s, choices, onChange }: { s: CascadeScenario; choices: TrafficChoices; onChange: (s: CascadeScenario) => void }) {
  const options = choices.prices.map((p) => ({ value: priceKey(p), label: `${priceKey(p)} ($${p.outputUsdPerMTok}/1M out)` }));
  return (
    <div className="inline-form">
      <FeatureMatch match={s.match} features={choices.features} onChange={(match) => onChange({ ...s, match })} />
      <SelectField label="Cheaper model" value={priceKey(s.target)} options={options} onChange={(v) => { const p = choices.prices.find((x) => priceKey(x) === v); if (p) onChange({ ...s, target: { provider: p.provider, model: p.model } }); }} />
      <PercentSlider label="Share routed to it" value={s.share} onChange={(share) => onChange({ ...s, share })} />
      <PercentSlider label="Escalation rate" value={s.escalationRate} onChange={(escalationRate) => onChange({ ...s, escalationRate })} />
    </div>
  );
}

/** Caching (6): semantic cache answers a share of calls; prompt caching bills a share of uncached input at the cached rate. */
export function CacheEditor({ s, choices, onChange }: { s: CacheScenario; choices: TrafficChoices; onChange: (s: CacheScenario) => void }) {
  return (
    <div className="inline-form">
      <FeatureMatch match={s.match} features={choices.features} onChange={(match) => onChange({ ...s, match })} />
      <PercentSlider label="Semantic cache hit rate" value={s.semanticHitRate ?? 0} onChange={(semanticHitRate) => onChange({ ...s, semanticHitRate })} />
      <PercentSlider label="Prompt cache hit rate" value={s.promptCacheHitRate ?? 0} onChange={(promptCacheHitRate) => onChange({ ...s, promptCacheHitRate })} />
    </div>
  );
}

/** Prompt trimming (7): −X % input tokens for a feature. */
export function TrimEditor({ s, choices, onChange }: { s: TrimScenario; choices: TrafficChoices; onChange: (s: TrimScenario) => void }) {
  return (
    <div className="inline-form">
      <FeatureMatch match={s.match} features={choices.features} onChange={(match) => onChange({ ...s, match })} />
      <PercentSlider label="Input tokens trimmed" value={s.reductionPct / 100} onChange={(r) => onChange({ ...s, reductionPct: Math.round(r * 100) })} />
    </div>
  );
}

/** Reprice (8): a provider's price change in %, or another provider's price book for the same usage. */
export function RepriceEditor({ s, choices, onChange }: { s: RepriceScenario; choices: TrafficChoices; onChange: (s: RepriceScenario) => void }) {
  const provider = s.match.providers?.[0] ?? choices.apiProviders[0] ?? "";
  const mode = s.targetProvider !== undefined ? "book" : "change";
  const targetProviders = [...new Set(choices.prices.map((p) => p.provider))].filter((p) => p !== provider).sort();
  const ownModels = [...new Set(choices.prices.filter((p) => p.provider === provider).map((p) => p.model))];
  const targetModels = choices.prices.filter((p) => p.provider === s.targetProvider).map((p) => ({ value: p.model, label: `${p.model} ($${p.inputUsdPerMTok} in / $${p.outputUsdPerMTok} out per 1M)` }));
  const pickBook = (targetProvider: string) => {
    const first = choices.prices.find((p) => p.provider === targetProvider)?.model ?? "";
    onChange({ kind: "reprice", match: s.match, targetProvider, modelMap: Object.fromEntries(ownModels.map((m) => [m, first])) });
  };
  return (
    <div className="inline-form">
      <SelectField label="Provider" value={provider} options={choices.apiProviders.map((p) => ({ value: p, label: p }))} onChange={(p) => onChange({ ...s, match: { providers: [p] }, ...(s.targetProvider !== undefined ? { targetProvider: undefined, modelMap: undefined, changePct: 0 } : {}) })} />
      <SelectField label="Change" value={mode} options={[{ value: "change", label: "price change (%)" }, { value: "book", label: "another provider's prices" }]} onChange={(m) => (m === "change" ? onChange({ kind: "reprice", match: s.match, changePct: -10 }) : pickBook(targetProviders[0] ?? ""))} />
      {mode === "change" ? (
        <NumberField label="Price change (%)" value={s.changePct ?? 0} min={-100} max={1000} onChange={(changePct) => onChange({ ...s, changePct })} />
      ) : (
        <>
          <SelectField label="Other provider" value={s.targetProvider ?? ""} options={targetProviders.map((p) => ({ value: p, label: p }))} onChange={pickBook} />
          {ownModels.map((m) => (
            <SelectField key={m} label={`${m} → model`} value={s.modelMap?.[m] ?? ""} options={targetModels} onChange={(v) => onChange({ ...s, modelMap: { ...s.modelMap, [m]: v } })} />
          ))}
        </>
      )}
    </div>
  );
}
