"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Scenario } from "~/server/domain/whatif/types.ts";
import { ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

export type SavedScenarioView = { id: string; name: string; scenarios: Scenario[]; invalid: string | null; updatedAt: Date };

type Props = { orgSlug: string; current: Scenario[]; canSave: boolean; compareIds: string[]; onCompare: (ids: string[]) => void; onLoad: (s: SavedScenarioView) => void };

/** Saved scenario lists of the org: save the current one, load, delete, and pick which to compare side by side. */
export function SavedPanel({ orgSlug, current, canSave, compareIds, onCompare, onLoad }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.whatif.scenarios.queryOptions({ orgSlug }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.whatif.scenarios.queryKey({ orgSlug }) });
  const [name, setName] = useState("");
  const save = useMutation(trpc.whatif.saveScenario.mutationOptions({ onSuccess: () => { setName(""); refresh(); } }));
  const remove = useMutation(trpc.whatif.deleteScenario.mutationOptions({ onSuccess: refresh }));
  const onSave = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ orgSlug, name, scenarios: current });
  };
  return (
    <section className="panel" aria-label="Saved scenarios">
      <h2>Saved scenarios</h2>
      {canSave ? (
        <form className="inline-form" onSubmit={onSave} aria-label="Save scenario">
          <label>Name<input aria-label="Scenario name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} required /></label>
          <button type="submit" disabled={save.isPending || current.length === 0 || name.trim() === ""}>Save current scenarios</button>
          {current.length === 0 && <span className="muted">add a scenario first</span>}
          {save.error && <span role="alert" className="error">{save.error.message}</span>}
        </form>
      ) : (
        <p className="muted">Your role can run scenarios but not save them.</p>
      )}
      {saved.isPending ? <Loading /> : saved.error ? <ErrorState error={saved.error} onRetry={() => void saved.refetch()} /> : saved.data.length === 0 ? (
        <p className="muted">No saved scenarios yet.</p>
      ) : (
        <table>
          <thead><tr><th>Compare</th><th>Name</th><th>What-ifs</th><th>Updated (UTC)</th><th /></tr></thead>
          <tbody>
            {saved.data.map((s) => (
              <tr key={s.id}>
                <td><input type="checkbox" aria-label={`Compare ${s.name}`} disabled={s.invalid !== null} checked={compareIds.includes(s.id)} onChange={(e) => onCompare(e.target.checked ? [...compareIds, s.id] : compareIds.filter((x) => x !== s.id))} /></td>
                <td>{s.name}{s.invalid && <span className="badge bad" title={s.invalid}>invalid</span>}</td>
                <td>{s.scenarios.map((x) => x.kind).join(" + ") || "—"}</td>
                <td>{new Date(s.updatedAt).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>
                  <button type="button" className="link" disabled={s.invalid !== null} onClick={() => onLoad(s)}>Load</button>{" "}
                  {canSave && <button type="button" className="danger" onClick={() => remove.mutate({ orgSlug, id: s.id })}>Delete</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
