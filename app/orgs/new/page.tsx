"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "../../_trpc/react.tsx";

export default function NewOrgPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.orgs.create.mutationOptions({ onSuccess: (org) => router.push(`/o/${org.slug}/settings/api-keys`) }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ name: String(new FormData(event.currentTarget).get("name")) });
  }

  return (
    <main className="auth-card">
      <h1>Create an organization</h1>
      <p className="muted">Costs, keys and members belong to an organization.</p>
      <form onSubmit={onSubmit} aria-label="Create organization">
        <label>
          Organization name
          <input name="name" required maxLength={100} />
        </label>
        {create.error && <p role="alert" className="error">{create.error.message}</p>}
        <button type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create organization"}</button>
      </form>
    </main>
  );
}
