"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import type { ReactNode } from "react";

const TABS = [
  { href: "api-keys", label: "API keys" },
  { href: "members", label: "Members" },
  { href: "gpu-pools", label: "GPU pools" },
  { href: "prices", label: "Prices" },
];

export default function SettingsLayout({ children }: { children: ReactNode }) {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const pathname = usePathname();
  return (
    <section>
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings">
        {TABS.map((t) => {
          const href = `/o/${orgSlug}/settings/${t.href}`;
          return (
            <Link key={t.href} href={href} aria-current={pathname === href ? "page" : undefined}>
              {t.label}
            </Link>
          );
        })}
      </nav>
      {children}
    </section>
  );
}
