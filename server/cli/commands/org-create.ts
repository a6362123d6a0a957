import { createApiKey } from "../../services/api-keys/api-keys.ts";
import { createOrg } from "../../services/orgs/create-org.ts";
import { stringFlag, UsageError, type ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";
import { withCliDb } from "../with-db.ts";

/** `org create --name N [--json]` → {"orgId","slug","ingestKey","apiKey"} (apiKey = read key). */
export async function orgCreate(args: ParsedArgs, io: CommandIo): Promise<number> {
  const name = stringFlag(args, "name");
  if (!name) throw new UsageError('usage: inferledger org create --name "Acme" [--json]');
  const result = await withCliDb(async (db) => {
    const org = await createOrg({ db, name });
    const ctx = { db, org, actor: { type: "system" as const, name: "cli" } };
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
