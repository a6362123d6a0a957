import { costRowsToCsv } from "~/server/domain/costs/csv.ts";
import { queryCosts } from "~/server/services/costs/query-costs.ts";
import { json, withReadApi } from "./handler.ts";

export const dynamic = "force-dynamic";

/** GET /api/v1/costs?from&to&groupBy&feature&model&provider[&format=csv] — Bearer read key. */
export function GET(req: Request): Promise<Response> {
  return withReadApi(req, async (ctx, params) => {
    const report = await queryCosts({
      ctx,
      query: { from: params.from, to: params.to, groupBy: params.groupBy, filters: { feature: params.feature, model: params.model, provider: params.provider } },
    });
    if (params.format === "csv") {
      const rows = params.groupBy.length ? report.rows : [{ key: {}, ...report.totals }];
      return new Response(costRowsToCsv(params.groupBy, rows), {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="inferledger-costs.csv"', "cache-control": "no-store" },
      });
    }
    return json(200, { from: params.from.toISOString(), to: params.to.toISOString(), currency: "USD", totals: report.totals, rows: report.rows });
  });
}
