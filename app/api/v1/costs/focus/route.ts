import { focusCsv } from "~/server/domain/costs/csv.ts";
import { queryCosts } from "~/server/services/costs/query-costs.ts";
import { withReadApi } from "../handler.ts";

export const dynamic = "force-dynamic";

/** GET /api/v1/costs/focus?from&to — FOCUS-style CSV per day × provider × model × feature × customer. */
export function GET(req: Request): Promise<Response> {
  return withReadApi(req, async (ctx, params) => {
    const report = await queryCosts({
      ctx,
      query: { from: params.from, to: params.to, groupBy: ["day", "provider", "model", "feature", "customer"], filters: { feature: params.feature, model: params.model, provider: params.provider } },
    });
    const csv = focusCsv(
      report.rows.map((r) => ({ day: r.key.day ?? "", provider: r.key.provider ?? "", model: r.key.model ?? "", feature: r.key.feature ?? "", customer: r.key.customer ?? "", summary: r })),
    );
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="inferledger-focus.csv"', "cache-control": "no-store" },
    });
  });
}
