import { afterAll, describe, expect, it } from "vitest";
import { INGEST_PLAN_SETTINGS, STORED_HISTORY_SQL } from "../../../server/services/settlement/store-span-batch.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

/**
 * The history probe runs as a named statement on a server, so after five executions PostgreSQL may switch to a
 * generic plan, made without the parameters' values. That plan must still be one index probe per id.
 */
describe("the ingest history probe as a prepared statement", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("its generic plan probes the primary key per trace id and the task-id index per task id", async () => {
    const { org } = await createTestOrg(db);
    const client = await db.pool.connect();
    try {
      await client.query(`BEGIN; ${INGEST_PLAN_SETTINGS}; SET LOCAL plan_cache_mode = force_generic_plan`);
      await client.query(`PREPARE history_probe(text, text[], text[]) AS ${STORED_HISTORY_SQL}`);
      const { rows } = await client.query(`EXPLAIN EXECUTE history_probe('${org.id}', '{"${"a".repeat(32)}"}', '{"task-1"}')`);
      const plan = rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
      expect(plan.match(/Index (Only )?Scan using \w+ on spans/g)).toEqual([
        expect.stringMatching(/using spans_pkey on spans/),
        expect.stringMatching(/using spans_org_id_task_id_present_idx on spans/),
      ]);
      expect(plan).not.toMatch(/Seq Scan|Bitmap|Materialize/);
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.query("DEALLOCATE ALL").catch(() => undefined);
      client.release();
    }
  });
});
