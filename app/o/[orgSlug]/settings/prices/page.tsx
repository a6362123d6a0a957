"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { FormEvent } from "react";
import { formatCount, formatUsd } from "../../../../_charts/format.ts";
import { EmptyState, ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";
import { PriceBook } from "./price-book.tsx";

const opt = (v: FormDataEntryValue | null) => (v && String(v).trim() ? String(v).trim() : undefined);

export default function PricesPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.prices.overrides.queryOptions({ orgSlug }));
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const canManage = org.data?.permissions.includes("prices:manage") ?? false;
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.prices.overrides.queryKey({ orgSlug }) });
  const create = useMutation(trpc.prices.createOverride.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(trpc.prices.deleteOverride.mutationOptions({ onSuccess: () => void invalidate() }));

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    create.mutate({
      orgSlug,
      override: {
        provider: String(f.get("provider")), model: String(f.get("model")), inputUsdPerMTok: opt(f.get("input")), cachedInputUsdPerMTok: opt(f.get("cached")),
        outputUsdPerMTok: opt(f.get("output")), discountPercent: opt(f.get("discount")), validFrom: new Date(`${String(f.get("validFrom"))}T00:00:00Z`),
      },
    });
  }

  return (
    <div>
      <p className="muted">
        Catalog prices come from <code>@pydantic/genai-prices</code> (pinned). Add your negotiated prices (USD per 1M tokens) or a
        discount, effective from a UTC date; calls already priced after that date are re-priced and the change is audited.
      </p>
      {canManage && (
        <form className="inline-form" onSubmit={onCreate} aria-label="Add price override">
          <label>Provider<input name="provider" required defaultValue="openai" /></label>
          <label>Model<input name="model" required placeholder="gpt-4o-mini" /></label>
          <label>Input $/1M<input name="input" inputMode="decimal" placeholder="0.10" /></label>
          <label>Cached input $/1M<input name="cached" inputMode="decimal" /></label>
          <label>Output $/1M<input name="output" inputMode="decimal" placeholder="0.40" /></label>
          <label>or discount %<input name="discount" inputMode="decimal" placeholder="15" /></label>
          <label>Valid from (UTC)<input name="validFrom" type="date" required /></label>
          <button type="submit" disabled={create.isPending}>Add override</button>
        </form>
      )}
      {create.data && <p role="status">Saved; {create.data.repricedCalls} past calls re-priced ({formatUsd(create.data.deltaUsd)}).</p>}
      {(create.error ?? remove.error) && <p role="alert" className="error">{(create.error ?? remove.error)?.message}</p>}
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <h2>Overrides</h2>
          {q.data.overrides.length === 0 ? (
            <EmptyState title="Catalog prices only"><p>No negotiated prices or discounts yet.</p></EmptyState>
          ) : (
            <table>
              <thead><tr><th scope="col">Provider / model</th><th scope="col">Input</th><th scope="col">Cached</th><th scope="col">Output</th><th scope="col">Discount</th><th scope="col">Valid (UTC)</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {q.data.overrides.map((o) => (
                  <tr key={o.id}>
                    <td>{o.provider} / {o.model}</td>
                    <td>{o.inputUsdPerMTok ? `${formatUsd(o.inputUsdPerMTok)}/1M` : "catalog"}</td>
                    <td>{o.cachedInputUsdPerMTok ? `${formatUsd(o.cachedInputUsdPerMTok)}/1M` : "—"}</td>
                    <td>{o.outputUsdPerMTok ? `${formatUsd(o.outputUsdPerMTok)}/1M` : "catalog"}</td>
                    <td>{o.discountPercent ? `${o.discountPercent}%` : "—"}</td>
                    <td>{o.validFrom.toISOString().slice(0, 10)} → {o.validTo ? o.validTo.toISOString().slice(0, 10) : "open"}</td>
                    <td>{canManage && <button type="button" className="danger" onClick={() => remove.mutate({ orgSlug, id: o.id })}>Delete</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Audit trail</h2>
          {q.data.audits.length === 0 ? (
            <p className="muted">No price changes yet.</p>
          ) : (
            <table>
              <thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">Calls re-priced</th><th scope="col">$ difference</th></tr></thead>
              <tbody>
                {q.data.audits.map((a) => (
                  <tr key={a.id}>
                    <td>{a.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                    <td>{a.actor}</td>
                    <td>{a.action} {JSON.stringify(a.after ?? a.before).slice(0, 80)}</td>
                    <td>{formatCount(a.repricedCalls)}</td>
                    <td>{formatUsd(a.deltaUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <PriceBook orgSlug={orgSlug} />
    </div>
  );
}
