"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PeriodPreset } from "~/server/domain/costs/period.ts";
import { formatCount } from "../../../../_charts/format.ts";
import { downloadCsv } from "../../../../_components/download-csv.ts";
import { useTRPC } from "../../../../_trpc/react.tsx";

type ExportState = { kind: "idle" } | { kind: "busy" } | { kind: "done"; rows: number; truncated: boolean } | { kind: "error"; message: string };

/** "Export CSV" of one feature's tasks in the selected period; fetched only on click (it can be large). */
export function ExportTasksCsv({ orgSlug, feature, period }: { orgSlug: string; feature: string; period: PeriodPreset }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<ExportState>({ kind: "idle" });
  const onExport = async () => {
    setState({ kind: "busy" });
    try {
      // staleTime 0: an export is always today's data, never a cached copy from an earlier click.
      const out = await queryClient.fetchQuery({ ...trpc.costs.featureTasksCsv.queryOptions({ orgSlug, feature, period }), staleTime: 0 });
      downloadCsv(out);
      setState({ kind: "done", rows: out.rows, truncated: out.truncated });
    } catch (e) {
      setState({ kind: "error", message: (e as Error).message });
    }
  };
  return (
    <span className="no-print">
      <button type="button" onClick={() => void onExport()} disabled={state.kind === "busy"}>{state.kind === "busy" ? "Preparing CSV…" : "Export CSV"}</button>
      {state.kind === "done" && (
        <span role="status" className="muted"> {formatCount(state.rows)} tasks exported{state.truncated ? " (the newest only: use the read API for the full period)" : ""}.</span>
      )}
      {state.kind === "error" && <span role="alert" className="error"> Could not export: {state.message}</span>}
    </span>
  );
}
