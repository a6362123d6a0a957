"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import type { FormEvent } from "react";
import { ROLES } from "~/server/domain/access/permissions.ts";
import { ErrorState, Loading } from "../../../../_components/states.tsx";
import { useTRPC } from "../../../../_trpc/react.tsx";

export default function MembersPage() {
  const { orgSlug } = useParams<{ orgSlug: string }>();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ orgSlug }));
  const org = useQuery(trpc.orgs.get.queryOptions({ orgSlug }));
  const canManage = org.data?.permissions.includes("members:manage") ?? false;
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ orgSlug }) });
  const add = useMutation(trpc.members.add.mutationOptions({ onSuccess: () => void invalidate() }));
  const updateRole = useMutation(trpc.members.updateRole.mutationOptions({ onSuccess: () => void invalidate() }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: () => void invalidate() }));
  const mutationError = add.error ?? updateRole.error ?? remove.error;

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const role = ROLES.find((r) => r === form.get("role")) ?? "viewer";
    add.mutate({ orgSlug, email: String(form.get("email")), role });
    event.currentTarget.reset();
  }

  if (members.isPending) return <Loading />;
  if (members.error) return <ErrorState error={members.error} onRetry={() => void members.refetch()} />;
  return (
    <div>
      {canManage && (
        <form className="inline-form" onSubmit={onAdd} aria-label="Add member">
          <label>
            Email
            <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={add.isPending}>Add member</button>
        </form>
      )}
      {add.data && <p role="status">{add.data.status === "added" ? "Member added." : "Invitation saved: it is accepted when that email signs up."}</p>}
      {mutationError && <p role="alert" className="error">{mutationError.message}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {members.data.members.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>
                {canManage ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(e) => {
                      const role = ROLES.find((r) => r === e.target.value);
                      if (role) updateRole.mutate({ orgSlug, memberId: m.id, role });
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td>
                {canManage && (
                  <button type="button" className="danger" onClick={() => remove.mutate({ orgSlug, memberId: m.id })}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
          {members.data.invitations.map((i) => (
            <tr key={i.id} className="muted">
              <td>(invited)</td>
              <td>{i.email}</td>
              <td>{i.role}</td>
              <td>pending until {i.expiresAt.toISOString().slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
