import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "../../../server/db/migrate.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("migration runner", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("is idempotent and records Prisma-compatible rows with sha256 checksums", async () => {
    const again = await applyMigrations(db.pool);
    expect(again.applied).toEqual([]);
    const rows = await db.pool.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const files = listMigrations();
    expect(rows.rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("matches schema.prisma: every model can be queried through the generated client", async () => {
    const p = db.prisma;
    await Promise.all([
      p.user.findFirst(), p.session.findFirst(), p.account.findFirst(), p.verification.findFirst(),
      p.organization.findFirst(), p.member.findFirst(), p.invitation.findFirst(), p.apiKey.findFirst(),
      p.span.findFirst(), p.gpuSample.findFirst(), p.hourlyFeatureRollup.findFirst(), p.dailyRollup.findFirst(), p.dailyFeatureRollup.findFirst(),
      p.gpuPool.findFirst(), p.gpuPoolHour.findFirst(), p.rollupDelta.findFirst(), p.alertDelivery.findFirst(), p.alertDeliveryAttempt.findFirst(),
    ]);
  });
});
