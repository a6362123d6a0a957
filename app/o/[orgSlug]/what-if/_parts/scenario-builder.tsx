"use client";
import { useState } from "react";
import type { Scenario } from "~/server/domain/whatif/types.ts";
import { CacheEditor, CascadeEditor, RepriceEditor, TrimEditor } from "./api-editors.tsx";
import { QuantizationEditor, SelfHostEditor } from "./self-host-editor.tsx";
import { defaultScenario, SCENARIO_OPTIONS, scenarioTitle, type TrafficChoices } from "./traffic-context.ts";

export type ScenarioItem = { id: string; scenario: Scenario };

let nextId = 0;
export const newItem = (scenario: Scenario): ScenarioItem => ({ id: `s${++nextId}`, scenario });

function Editor({ s, choices, onChange }: { s: Scenario; choices: TrafficChoices; onChange: (s: Scenario) => void }) {
  switch (s.kind) {
    case "self-host": return <SelfHostEditor s={s} choices={choices} onChange={onChange} />;
    case "quantization": return <QuantizationEditor s={s} onChange={onChange} />;
    case "cascade": return <CascadeEditor s={s} choices={choices} onChange={onChange} />;
    case "cache": return <CacheEditor s={s} choices={choices} onChange={onChange} />;
    case "trim-input": return <TrimEditor s={s} choices={choices} onChange={onChange} />;
    case "reprice": return <RepriceEditor s={s} choices={choices} onChange={onChange} />;
  }
}

/** Scenarios combine: the engine applies them in a fixed order (demand, routing, prices, self-hosting, quantization). */
export function ScenarioBuilder({ items, choices, onChange }: { items: ScenarioItem[]; choices: TrafficChoices; onChange: (items: ScenarioItem[]) => void }) {
  const [adding, setAdding] = useState(SCENARIO_OPTIONS[0]!.key);
  return (
    <section className="panel" aria-label="Scenario builder">
      <h2>Scenarios</h2>
      <div className="inline-form">
        <label>
          Add a what-if
          <select aria-label="Scenario to add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            {SCENARIO_OPTIONS.map((o) => <option key={o.key} value={o.key}>{o.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => onChange([...items, newItem(defaultScenario(adding, choices))])}>Add</button>
        {items.length > 0 && <button type="button" className="link" onClick={() => onChange([])}>Clear all</button>}
      </div>
      {items.length === 0 && <p className="muted">No scenario yet: the results show the actual period. Add one or more what-ifs; they combine.</p>}
      {items.map((item, i) => (
        <fieldset key={item.id} className="scenario-card" aria-label={`Scenario ${i + 1}: ${scenarioTitle(item.scenario)}`}>
          <legend>{i + 1}. {scenarioTitle(item.scenario)}</legend>
          <Editor s={item.scenario} choices={choices} onChange={(scenario) => onChange(items.map((x) => (x.id === item.id ? { ...x, scenario } : x)))} />
          <button type="button" className="danger" onClick={() => onChange(items.filter((x) => x.id !== item.id))}>Remove</button>
        </fieldset>
      ))}
    </section>
  );
}
