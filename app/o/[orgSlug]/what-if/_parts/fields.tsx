"use client";
import type { TrafficMatch } from "~/server/domain/whatif/types.ts";

/** Small controlled inputs for the scenario editors; every label carries its unit. */
export function NumberField({ label, value, onChange, min = 0, step = 1, max }: { label: string; value: number; onChange: (v: number) => void; min?: number; step?: number; max?: number }) {
  return (
    <label>
      {label}
      <input type="number" aria-label={label} value={Number.isFinite(value) ? value : 0} min={min} max={max} step={step} onChange={(e) => { const v = Number(e.target.value); if (Number.isFinite(v) && v >= min && (max === undefined || v <= max)) onChange(v); }} />
    </label>
  );
}

/** A decimal-string money input (USD); only well-formed amounts reach the scenario. */
export function UsdField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <input type="text" inputMode="decimal" aria-label={label} defaultValue={value} onChange={(e) => { const v = e.target.value.trim(); if (/^\d{1,9}(\.\d{1,10})?$/.test(v)) onChange(v); }} />
    </label>
  );
}

/** A 0..1 ratio edited as a percentage slider. */
export function PercentSlider({ label, value, onChange, max = 100 }: { label: string; value: number; onChange: (ratio: number) => void; max?: number }) {
  const pct = Math.round(value * 1000) / 10;
  return (
    <label>
      {label}: {pct}%
      <input type="range" aria-label={label} min={0} max={max} step={1} value={pct} onChange={(e) => onChange(Number(e.target.value) / 100)} />
    </label>
  );
}

export function SelectField<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void }) {
  return (
    <label>
      {label}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

const ALL = "\u0000all";

/** Which feature a scenario applies to: all of the (API) traffic or one feature. */
export function FeatureMatch({ match, features, onChange, apiOnly = true }: { match: TrafficMatch; features: readonly string[]; onChange: (m: TrafficMatch) => void; apiOnly?: boolean }) {
  const value = match.features?.[0] ?? ALL;
  const base: TrafficMatch = apiOnly ? { selfHosted: false } : {};
  return (
    <SelectField
      label="Applies to feature"
      value={value}
      options={[{ value: ALL, label: apiOnly ? "all API traffic" : "all traffic" }, ...features.map((f) => ({ value: f, label: f }))]}
      onChange={(v) => onChange(v === ALL ? { ...base } : { ...base, features: [v] })}
    />
  );
}
