import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db/index.ts";
import { listMyOrgs } from "~/server/services/orgs/memberships.ts";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) redirect("/sign-in");
  const orgs = await listMyOrgs({ db: getDb(), userId: session.user.id });
  redirect(orgs[0] ? `/o/${orgs[0].slug}/overview` : "/orgs/new");
}
