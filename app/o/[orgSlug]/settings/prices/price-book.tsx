"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatCount } from "../../../../_charts/format.ts";
import { EmptyState, ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

const PAGE_SIZE = 25;
type RateView = { usdPerMTok: string; tiers: { aboveInputTokens: number; usdPerMTok: string }[] } | null;

/** A rate per 1M tokens, exactly as stored (no rounding), with its long-context tiers. */
function Rate({ rate }: { rate: RateView }) {
  if (!rate) return <span className="muted">as input</span>;
  return (
    <>
      ${rate.usdPerMTok}
      {rate.tiers.map((t) => (
        <div key={t.aboveInputTokens} className="muted" title="the whole request is billed at this rate above this many input tokens">
          &gt;{formatCount(t.aboveInputTokens)} in: ${t.usdPerMTok}
        </div>
      ))}
    </>
  );
}

/** The global catalog (search, provider filter, server-side pages) with the org's own price where an override applies. */
export function PriceBook({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState({ search: "", provider: "", includeHistory: false });
  const [page, setPage] = useState(1);
  const q = useQuery({
    ...trpc.prices.catalog.queryOptions({
      orgSlug,
      query: { search: filters.search || undefined, provider: filters.provider || undefined, includeHistory: filters.includeHistory, page, pageSize: PAGE_SIZE },
    }),
    placeholderData: keepPreviousData, // keep the table while the next page loads
  });

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setFilters({ search: String(f.get("search") ?? "").trim(), provider: String(f.get("provider") ?? ""), includeHistory: f.get("history") === "on" });
    setPage(1);
  }

  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;
  return (
    <section aria-labelledby="price-book-title">
      <h2 id="price-book-title">Price book</h2>
      <form className="inline-form" onSubmit={onSearch} role="search" aria-label="Search the price book">
        <label>Provider or model<input name="search" type="search" placeholder="claude, gpt-4o, gemini…" defaultValue={filters.search} /></label>
        <label>
          Provider
          <select name="provider" aria-label="Provider" defaultValue={filters.provider}>
            <option value="">All providers</option>
            {q.data?.providers.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="checkbox"><input name="history" type="checkbox" defaultChecked={filters.includeHistory} /> Include dated (past and future) prices</label>
        <button type="submit">Search</button>
      </form>
      {q.isPending ? (
        <Loading label="Loading the price book…" />
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.rows.length === 0 ? (
        <EmptyState title="No prices match">
          <p>Nothing in the catalog matches{filters.search ? <> “{filters.search}”</> : null}{filters.provider ? <> at {filters.provider}</> : null}. Calls to such models are counted as unpriced until you add a price override.</p>
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            USD per 1M tokens from <code>{q.data.catalogVersion}</code>. <span className="badge">your price</span> marks a model where one of
            your overrides applies now; that price is what your calls are billed at.
          </p>
          <div className="table-scroll">
          <table aria-busy={q.isFetching}>
            <thead>
              <tr>
                <th scope="col">Provider / model</th><th scope="col">Input</th><th scope="col">Cached input</th><th scope="col">Cache write</th>
                <th scope="col">Output</th><th scope="col">Valid (UTC)</th><th scope="col">Your price</th>
              </tr>
            </thead>
            <tbody>
              {q.data.rows.map((r) => (
                <tr key={r.id} className={r.current ? undefined : "muted"}>
                  <td>{r.provider} / <strong>{r.model}</strong>{r.name !== r.model && <div className="muted">{r.name}</div>}</td>
                  <td><Rate rate={r.catalog.input} /></td>
                  <td><Rate rate={r.catalog.cachedInput} /></td>
                  <td><Rate rate={r.catalog.cacheWrite} /></td>
                  <td><Rate rate={r.catalog.output} /></td>
                  <td>{r.validFrom.getTime() === 0 ? "always" : r.validFrom.toISOString().slice(0, 10)} → {r.validTo ? r.validTo.toISOString().slice(0, 10) : "open"}</td>
                  <td>
                    {r.effective ? (
                      <>
                        <span className="badge">your price</span> {r.effective.kind === "discount" ? `${r.effective.discountPercent}% off` : "contract"}
                        <div>in <Rate rate={r.effective.input} /></div>
                        <div>out <Rate rate={r.effective.output} /></div>
                        {r.effective.cachedInput && <div className="muted">cached <Rate rate={r.effective.cachedInput} /></div>}
                      </>
                    ) : (
                      <span className="muted">catalog</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
          <nav className="pager" aria-label="Price book pages">
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>Previous</button>
            <span>Page {page} of {pages} · {formatCount(q.data.total)} prices</span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>Next</button>
          </nav>
        </>
      )}
    </section>
  );
}
