import { afterAll, describe, expect, it } from "vitest";
import { addTestMember, callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("roles and permissions", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("viewers and finance read but cannot manage keys or members", async () => {
    const { org } = await createTestOrg(db);
    for (const role of ["viewer", "finance"] as const) {
      const user = await addTestMember(db, org.id, role);
      const caller = callerFor(db, user);
      await expect(caller.members.list({ orgSlug: org.slug })).resolves.toBeTruthy();
      // The price book is read-only: everyone who reads costs sees it; changing prices stays with admins.
      await expect(caller.prices.catalog({ orgSlug: org.slug, query: { search: "gpt-4o", pageSize: 5 } })).resolves.toMatchObject({ pageSize: 5 });
      await expect(caller.prices.createOverride({ orgSlug: org.slug, override: { provider: "openai", model: "gpt-4o", discountPercent: "10", validFrom: new Date() } })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.apiKeys.create({ orgSlug: org.slug, kind: "ingest", name: "k" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.members.add({ orgSlug: org.slug, email: "new@test.local", role: "viewer" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("admins manage members but cannot grant owner; the last owner cannot be demoted", async () => {
    const { org, user: owner } = await createTestOrg(db);
    const admin = await addTestMember(db, org.id, "admin");
    const asAdmin = callerFor(db, admin);
    await expect(asAdmin.members.add({ orgSlug: org.slug, email: "someone@test.local", role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAdmin.members.add({ orgSlug: org.slug, email: "someone@test.local", role: "engineer" })).resolves.toEqual({ status: "invited" });
    const ownerMember = await db.prisma.member.findFirstOrThrow({ where: { organizationId: org.id, userId: owner.id } });
    await expect(callerFor(db, owner).members.updateRole({ orgSlug: org.slug, memberId: ownerMember.id, role: "admin" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("adds an existing user at once with the chosen role", async () => {
    const { org, user: owner } = await createTestOrg(db);
    const other = await createTestOrg(db);
    await expect(callerFor(db, owner).members.add({ orgSlug: org.slug, email: other.user.email, role: "engineer" })).resolves.toEqual({ status: "added" });
    const orgs = await callerFor(db, other.user).orgs.list();
    expect(orgs.find((o) => o.id === org.id)?.role).toBe("engineer");
  });

  it("what-if: every role reads and runs scenarios; owners, admins, engineers and finance save them; viewers do not", async () => {
    const { org } = await createTestOrg(db);
    const scenarios = [{ kind: "cache" as const, match: {}, semanticHitRate: 0.1 }];
    for (const role of ["admin", "engineer", "finance", "viewer"] as const) {
      const caller = callerFor(db, await addTestMember(db, org.id, role));
      await expect(caller.whatif.traffic({ orgSlug: org.slug, period: "24h" })).resolves.toBeTruthy();
      await expect(caller.whatif.run({ orgSlug: org.slug, period: "24h", scenarios })).resolves.toBeTruthy();
      await expect(caller.whatif.scenarios({ orgSlug: org.slug })).resolves.toBeTruthy();
      const save = caller.whatif.saveScenario({ orgSlug: org.slug, name: `by ${role}`, scenarios });
      if (role === "viewer") {
        await expect(save).rejects.toMatchObject({ code: "FORBIDDEN" });
        await expect(caller.whatif.deleteScenario({ orgSlug: org.slug, id: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      } else {
        const saved = await save;
        await expect(caller.whatif.deleteScenario({ orgSlug: org.slug, id: saved.id })).resolves.toBeUndefined();
      }
    }
  });
});
