import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getAuth } from "~/server/auth.ts";
import { getDb } from "~/server/db/index.ts";
import { listMyOrgs } from "~/server/services/orgs/memberships.ts";
import { OrgShell } from "../../_components/org-shell.tsx";

export const dynamic = "force-dynamic";

/** Server gate: signed in and a member of this org, else sign-in / 404 (never reveal other orgs). */
export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) redirect("/sign-in");
  const orgs = await listMyOrgs({ db: getDb(), userId: session.user.id });
  const current = orgs.find((o) => o.slug === orgSlug);
  if (!current) notFound();
  return (
    <OrgShell orgs={orgs} current={current} userEmail={session.user.email}>
      {children}
    </OrgShell>
  );
}
