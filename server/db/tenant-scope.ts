import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

/**
 * Postgres row-level security, the second line of tenant isolation (migration 20261201500200), on a PostgreSQL server
 * (not on embedded PGlite, see isAvailable). Code run inside
 * `runAsTenant(orgId, fn)` — every dashboard procedure and read-API request, after the org was resolved from the
 * session or the API key — gets database sessions that act as the role `inferledger_tenant` with
 * `inferledger.org_id = orgId`, so the policies hide every other org's rows even from a query that forgot its
 * `WHERE org_id`. Everything else (migrations, collectors, worker: work across orgs) runs as the login role.
 *
 * The pool's `connect` is wrapped (pg-pool's own `query` goes through it too): each checked-out client is switched
 * to the caller's org, or back to the login role, only when it differs from what that client is set to — one
 * round trip per switch, none when the same org reuses a connection.
 */
export const TENANT_ROLE = "inferledger_tenant";

const tenantStorage = new AsyncLocalStorage<{ orgId: string }>();

export function runAsTenant<T>(orgId: string, fn: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the scope: a Prisma query is lazy and would otherwise run wherever it is first awaited.
  return tenantStorage.run({ orgId }, async () => await fn());
}

/** For the few writes a tenant's request makes on shared data (the global price catalog): as the login role. */
export function runAsLoginRole<T>(fn: () => PromiseLike<T>): Promise<T> {
  return tenantStorage.exit(async () => await fn());
}

export function currentTenantOrgId(): string | null {
  return tenantStorage.getStore()?.orgId ?? null;
}

type Connect = (callback?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => unknown;

export type TenantScoping = { enabled: () => Promise<boolean> };

export function installTenantScoping(pool: pg.Pool, onUnavailable: (reason: string) => void = () => undefined): TenantScoping {
  const originalConnect = pool.connect.bind(pool) as unknown as () => Promise<pg.PoolClient>;
  const sessionOrg = new WeakMap<pg.PoolClient, string | null>(); // what each connection is switched to (null = login role)
  let available: Promise<boolean> | null = null;
  // Once per pool: without the role (a server where migrations could not create it) requests run unscoped.
  const isAvailable = () =>
    (available ??= (async () => {
      const client = await originalConnect();
      try {
        const { rows } = await client.query<{ pglite: boolean; ok: boolean }>(
          `SELECT version() LIKE '%PGlite%' AS pglite,
             EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = $1), 'MEMBER') AS ok`,
          [TENANT_ROLE],
        );
        // PGlite serves every socket connection from its one session: a role set for one request would leak into the
        // others (and into a CLI connected meanwhile). The embedded single-user database keeps the service-level
        // org filters only.
        if (rows[0]?.pglite) return false;
        if (!rows[0]?.ok) onUnavailable(`role ${TENANT_ROLE} missing or not granted to the login role: row-level security is inactive`);
        return rows[0]?.ok ?? false;
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      available = null; // e.g. the database is down: ask again next time
      throw error;
    }));

  const checkout = async (orgId: string | null): Promise<pg.PoolClient> => {
    const scoped = orgId !== null && (await isAvailable());
    const want = scoped ? orgId : null;
    const client = await originalConnect();
    if ((sessionOrg.get(client) ?? null) !== want) {
      try {
        // set_config(…, false) is SET for the session; 'none' is SET ROLE NONE (back to the login role).
        await client.query("SELECT set_config('role', $1, false), set_config('inferledger.org_id', $2, false)", [want ? TENANT_ROLE : "none", want ?? ""]);
      } catch (error) {
        client.release(error as Error); // unknown state: discard the connection
        throw error;
      }
      sessionOrg.set(client, want);
    }
    return client;
  };

  const connect: Connect = (callback) => {
    const orgId = currentTenantOrgId(); // read now: pg-pool may hand the client over from another request's context
    const promise = checkout(orgId);
    if (!callback) return promise;
    promise.then(
      (client) => callback(undefined, client, (release) => client.release(release as Error | undefined)),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  (pool as unknown as { connect: Connect }).connect = connect;
  return { enabled: isAvailable };
}
