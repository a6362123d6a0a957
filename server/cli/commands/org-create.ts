import { createApiKey } from "../../services/api-keys/api-keys.ts";
import { addMember } from "../../services/members/members.ts";
import { createOrg } from "../../services/orgs/create-org.ts";
import { stringFlag, UsageError, type ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";
import { withCliDb } from "../with-db.ts";

const USAGE = 'usage: inferledger org create --name "Acme" [--owner-email you@example.com] [--json]';

/**
 * `org create --name N [--owner-email E] [--json]` → {"orgId","slug","ingestKey","apiKey"} (apiKey = read key).
 * Without an owner the org is reachable through its keys only (ingest, read API); `--owner-email` makes an existing
 * user (signed up in the dashboard) its owner, so the org shows up in that user's dashboard.
 */
export async function orgCreate(args: ParsedArgs, io: CommandIo): Promise<number> {
  const name = stringFlag(args, "name");
  if (!name) throw new UsageError(USAGE);
  const ownerEmail = stringFlag(args, "owner-email")?.trim().toLowerCase() ?? null;
  if (args.flags.has("owner-email") && !ownerEmail) throw new UsageError(USAGE);
  const result = await withCliDb(async (db) => {
    // Checked before anything is created: a typo must not leave an ownerless org behind.
    if (ownerEmail && !(await db.prisma.user.findUnique({ where: { email: ownerEmail } }))) {
      throw new UsageError(`no user ${ownerEmail}: sign up in the dashboard first, then run this again`);
    }
    const org = await createOrg({ db, name });
    const ctx = { db, org, actor: { type: "system" as const, name: "cli" } };
    if (ownerEmail) await addMember({ ctx, email: ownerEmail, role: "owner" });
    const ingest = await createApiKey({ ctx, kind: "ingest", name: "cli ingest" });
    const read = await createApiKey({ ctx, kind: "read", name: "cli read" });
    return { orgId: org.id, slug: org.slug, ingestKey: ingest.key, apiKey: read.key };
  });
  if (args.flags.has("json")) {
    io.out(`${JSON.stringify(result)}\n`);
  } else {
    io.out(
      `Created organization ${result.slug} (${result.orgId})\n` +
        `  ingest key: ${result.ingestKey}\n  read key:   ${result.apiKey}\n` +
        `Keys are shown once; store them now.\n`,
    );
  }
  return 0;
}
