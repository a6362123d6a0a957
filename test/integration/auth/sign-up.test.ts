import { afterAll, describe, expect, it } from "vitest";
import { getAuth } from "../../../server/auth.ts";
import { callerFor, createTestOrg } from "../../fixtures/factories.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";

describe("email + password auth (better-auth)", () => {
  const db = testDb();
  afterAll(closeTestDb);

  it("stores only a password hash and signs in with the right password only", async () => {
    const email = `signup-${Date.now()}@test.local`;
    const password = "correct horse battery";
    await getAuth().api.signUpEmail({ body: { email, password, name: "New" } });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const account = await db.prisma.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(account.password).toBeTruthy();
    expect(account.password).not.toContain(password);
    const ok = await getAuth().api.signInEmail({ body: { email, password } });
    expect(ok.user.email).toBe(email);
    await expect(getAuth().api.signInEmail({ body: { email, password: "wrong password!" } })).rejects.toThrow();
  });

  it("turns a pending invitation into a membership when the invited email signs up", async () => {
    const { org, user: owner } = await createTestOrg(db);
    const email = `invitee-${Date.now()}@test.local`;
    await expect(callerFor(db, owner).members.add({ orgSlug: org.slug, email, role: "finance" })).resolves.toEqual({ status: "invited" });
    await getAuth().api.signUpEmail({ body: { email, password: "invitee password", name: "Invitee" } });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const orgs = await callerFor(db, { id: user.id, email, name: "Invitee" }).orgs.list();
    expect(orgs).toEqual([expect.objectContaining({ id: org.id, role: "finance" })]);
  });
});
