"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { authClient } from "./auth-client.ts";

type OrgItem = { id: string; slug: string; name: string; role: string };

export const NAV: { href: string; label: string }[] = [
  { href: "overview", label: "Overview" },
  { href: "features", label: "Features" },
  { href: "tasks", label: "Tasks" },
  { href: "gpus", label: "GPUs" },
  { href: "prompts", label: "Prompts" },
  { href: "alerts", label: "Alerts" },
  { href: "what-if", label: "What-if" },
  { href: "pricing-review", label: "Pricing review" },
  { href: "settings/api-keys", label: "Settings" },
];

export function OrgShell({ orgs, current, userEmail, children }: { orgs: OrgItem[]; current: OrgItem; userEmail: string; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const base = `/o/${current.slug}`;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">InferLedger</div>
        <label className="org-switcher">
          <span className="sr-only">Organization</span>
          <select
            aria-label="Organization"
            value={current.slug}
            onChange={(e) => (e.target.value === "__new" ? router.push("/orgs/new") : router.push(`/o/${e.target.value}/overview`))}
          >
            {orgs.map((o) => (
              <option key={o.id} value={o.slug}>
                {o.name}
              </option>
            ))}
            <option value="__new">+ New organization…</option>
          </select>
        </label>
        <ul>
          {NAV.map((item) => {
            const href = `${base}/${item.href}`;
            const active = pathname.startsWith(`${base}/${item.href.split("/")[0]}`);
            return (
              <li key={item.href}>
                <Link href={href} aria-current={active ? "page" : undefined} className={active ? "active" : undefined}>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="user">
          <span title={userEmail}>{userEmail}</span>
          <span className="role">{current.role}</span>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await authClient.signOut();
              router.replace("/sign-in");
            }}
          >
            Sign out
          </button>
        </div>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
