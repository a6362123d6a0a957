"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { EmptyState, ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

export default function ApiKeysPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const canManage = org.data?.canManageKeys ?? false;
  // Keys are owner/admin business: other roles are told so instead of being shown a form that would fail.
  const keys = useQuery({ ...trpc.apiKeys.list.queryOptions({ orgSlug }), enabled: canManage });
  const [created, setCreated] = useState<{ key: string; kind: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ orgSlug }) });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (k) => {
        setCreated({ key: k.key, kind: k.kind });
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: () => void invalidate() }));

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ orgSlug, name: String(form.get("name")), kind: form.get("kind") === "read" ? "read" : "ingest" });
    event.currentTarget.reset();
  }

  if (org.isPending) return <Loading />;
  if (org.error) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  if (!canManage) {
    return (
      <EmptyState title="API keys are managed by owners and admins">
        <p>Your role ({org.data.role}) cannot see or create API keys. Ask an owner or admin of {org.data.name} for an ingest key (to send telemetry) or a read key (for the read API).</p>
      </EmptyState>
    );
  }

  return (
    <div>
      <p className="muted">
        <strong>Ingest</strong> keys let collectors and SDKs send telemetry; <strong>read</strong> keys open the read API
        (<code>GET /api/v1/costs</code>). A key is shown once; only its prefix is kept in clear.
      </p>
      <form className="inline-form" onSubmit={onCreate} aria-label="Create API key">
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="prod collector" />
        </label>
        <label>
          Kind
          <select name="kind" defaultValue="ingest">
            <option value="ingest">ingest</option>
            <option value="read">read</option>
          </select>
        </label>
        <button type="submit" disabled={create.isPending}>Create key</button>
      </form>
      {create.error && <p role="alert" className="error">{create.error.message}</p>}
      {created && (
        <div className="callout" role="status">
          <p>
            New {created.kind} key — copy it now, it will not be shown again:
          </p>
          <code data-testid="new-api-key">{created.key}</code>
          <button type="button" onClick={() => navigator.clipboard?.writeText(created.key)}>Copy</button>
        </div>
      )}
      {keys.isPending ? (
        <Loading />
      ) : keys.error ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>Create an ingest key to start sending OpenTelemetry data.</p>
        </EmptyState>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.kind}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</td>
                <td>{k.lastUsedAt ? `${k.lastUsedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never"}</td>
                <td>{k.revokedAt ? "revoked" : "active"}</td>
                <td>
                  {!k.revokedAt && (
                    <button type="button" className="danger" onClick={() => revoke.mutate({ orgSlug, keyId: k.id })}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
