import { getDb } from "~/server/db/index.ts";

export const dynamic = "force-dynamic";

/** Liveness + database reachability for load balancers. */
export async function GET(): Promise<Response> {
  try {
    await getDb().pool.query("SELECT 1");
    return Response.json({ status: "ok", role: "web" });
  } catch {
    return Response.json({ status: "degraded", role: "web", database: "unreachable" }, { status: 503 });
  }
}
