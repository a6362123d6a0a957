import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { pruneDeliveryLog } from "../../../server/services/alerts/prune-delivery-log.ts";
import { createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("delivery log retention", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("deletes attempts older than the retention, in bounded steps, and keeps newer ones", async () => {
    const { org } = await createTestOrg(db);
    // A clock in the year 2000, so only this test's rows are old enough (other files log attempts at today's time).
    const nowMs = Date.UTC(2000, 5, 1);
    const day = 86_400_000;
    const deliveryId = crypto.randomUUID();
    const ages = [200, 120, 91, 89, 1];
    await db.prisma.alertDeliveryAttempt.createMany({
      data: ages.map((age, i) => ({
        id: crypto.randomUUID(), orgId: org.id, deliveryId, channelId: "c", attempt: i + 1, attemptedAt: new Date(nowMs - age * day),
        httpStatus: 500, error: "x", durationMs: 1, outcome: "retry",
      })),
    });
    expect(await pruneDeliveryLog({ db, retentionDays: 90, nowMs, limit: 2 })).toBe(2);
    expect(await pruneDeliveryLog({ db, retentionDays: 90, nowMs, limit: 2 })).toBe(1);
    expect(await pruneDeliveryLog({ db, retentionDays: 90, nowMs, limit: 2 })).toBe(0);
    const left = await db.prisma.alertDeliveryAttempt.findMany({ where: { deliveryId }, orderBy: { attempt: "asc" } });
    expect(left.map((a) => a.attempt)).toEqual([4, 5]);
  });
});
