import { afterAll, describe, expect, it } from "vitest";
import { createIngestConsumer } from "../../../collectors/pipeline.ts";
import { CollectorError } from "../../../collectors/errors.ts";
import { createDb } from "../../../server/db/client.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { createTestOrg } from "../../fixtures/factories.ts";

const body = (traceId: string) =>
  Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: "b7ad6b7169203331", name: "x", startTimeUnixNano: "1760000000000000000", endTimeUnixNano: "1760000000100000000" }] }] }] }));

describe("storage unavailable or overloaded", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("answers 503 with Retry-After when the database is unreachable, and stores nothing half-way", async () => {
    const { org } = await createTestOrg(db);
    const dead = createDb({ url: "postgres://postgres@127.0.0.1:1/nowhere", maxConnections: 1 });
    const consumer = createIngestConsumer({ db: dead, maxQueuedSpans: 1000 });
    const error = await consumer.consume({ signal: "traces", orgId: org.id, body: body("1af7651916cd43dd8448eb211c80319c"), encoding: "json" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect(error).toMatchObject({ httpStatus: 503, retryAfterSeconds: 5 });
    await dead.close().catch(() => undefined);
    expect(await db.prisma.span.count({ where: { orgId: org.id } })).toBe(0);
    // The client's retry, once storage is back, stores the batch exactly once.
    const live = createIngestConsumer({ db, maxQueuedSpans: 1000 });
    for (let i = 0; i < 2; i++) await live.consume({ signal: "traces", orgId: org.id, body: body("1af7651916cd43dd8448eb211c80319c"), encoding: "json" });
    expect(await db.prisma.span.count({ where: { orgId: org.id } })).toBe(1);
    await live.drain();
  });

  it("answers 429 with Retry-After when the in-memory queue is full instead of growing without bound", async () => {
    const { org } = await createTestOrg(db);
    const slow = createDb({ url: "postgres://postgres@127.0.0.1:1/nowhere", maxConnections: 1 });
    const consumer = createIngestConsumer({ db: slow, maxQueuedSpans: 1 });
    const first = consumer.consume({ signal: "traces", orgId: org.id, body: body("2af7651916cd43dd8448eb211c80319c"), encoding: "json" }).catch((e: unknown) => e);
    const second = await consumer.consume({ signal: "traces", orgId: org.id, body: body("3af7651916cd43dd8448eb211c80319c"), encoding: "json" }).catch((e: unknown) => e);
    expect(second).toMatchObject({ httpStatus: 429, retryAfterSeconds: 1 });
    expect(await first).toMatchObject({ httpStatus: 503 });
    await slow.close().catch(() => undefined);
  });

  it("drain() waits for accepted batches and then refuses new ones (graceful shutdown)", async () => {
    const { org } = await createTestOrg(db);
    const consumer = createIngestConsumer({ db, maxQueuedSpans: 1000 });
    const pending = consumer.consume({ signal: "traces", orgId: org.id, body: body("4af7651916cd43dd8448eb211c80319c"), encoding: "json" });
    await consumer.drain();
    await pending;
    expect(await db.prisma.span.count({ where: { orgId: org.id } })).toBe(1);
    await expect(consumer.consume({ signal: "traces", orgId: org.id, body: body("5af7651916cd43dd8448eb211c80319c"), encoding: "json" })).rejects.toMatchObject({ httpStatus: 503 });
  });
});
