import { applyMigrations } from "../../db/migrate.ts";
import type { ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";
import { withCliDb } from "../with-db.ts";

export async function dbMigrate(_args: ParsedArgs, io: CommandIo): Promise<number> {
  const result = await withCliDb((db) => applyMigrations(db.pool));
  io.out(`migrations up to date (${result.alreadyApplied.length} in place)\n`);
  return 0;
}
