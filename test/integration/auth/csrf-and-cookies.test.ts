import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as authRoute from "../../../app/api/auth/[...all]/route.ts";
import * as trpcRoute from "../../../app/api/trpc/[trpc]/route.ts";
import { resetAuth } from "../../../server/auth.ts";
import { resetEnvCache } from "../../../server/env.ts";
import { createOrg } from "../../../server/services/orgs/create-org.ts";
import { closeTestDb, testDb } from "../../helpers/db.ts";
import { httpClient } from "../../helpers/http-session.ts";
import { serveRoutes } from "../../helpers/route-server.ts";

/** The real route handlers over real HTTP: cross-site mutations and sign-ins are refused; cookie flags are right. */
describe("CSRF on mutations and auth endpoints; session cookie flags", () => {
  const db = testDb();
  let server: Awaited<ReturnType<typeof serveRoutes>>;
  const savedPublicUrl = process.env.INFERLEDGER_PUBLIC_URL;
  const password = "csrf test password";
  const email = `csrf-${crypto.randomBytes(4).toString("hex")}@test.local`;
  let client: ReturnType<typeof httpClient>;
  let orgSlug: string;
  let orgId: string;
  let same: Record<string, string>;

  const usePublicUrl = (url: string | undefined) => {
    if (url === undefined) delete process.env.INFERLEDGER_PUBLIC_URL;
    else process.env.INFERLEDGER_PUBLIC_URL = url;
    resetEnvCache();
    resetAuth();
  };

  beforeAll(async () => {
    server = await serveRoutes({ "/api/trpc/": trpcRoute, "/api/auth/": authRoute });
    usePublicUrl(server.url);
    same = { origin: server.url, "sec-fetch-site": "same-origin" };
    client = httpClient(server.url);
    expect((await client.signUp(email, password, same)).status).toBe(200);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const org = await createOrg({ db, name: "CSRF Org", ownerUserId: user.id });
    orgSlug = org.slug;
    orgId = org.id;
  });
  afterAll(async () => {
    usePublicUrl(savedPublicUrl);
    await server.close();
    await closeTestDb();
  });

  const keyCount = () => db.prisma.apiKey.count({ where: { orgId } });

  it("a mutation from our own page works", async () => {
    const before = await keyCount();
    const res = await client.mutation("apiKeys.create", { orgSlug, kind: "read", name: "same-origin" }, same);
    expect(res.status).toBe(200);
    expect(await keyCount()).toBe(before + 1);
  });

  it("a mutation from another site's page is refused with 403 and changes nothing, even with the session cookie", async () => {
    const before = await keyCount();
    const attacks: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" }, // Origin stripped, the browser still says where it came from
      { "sec-fetch-site": "same-site", origin: "http://sub.127.0.0.1.nip.io" }, // a sibling subdomain
      { referer: "https://evil.example/page" },
      { origin: server.url.replace("127.0.0.1", "localhost").replace(/:\d+$/, ":1") }, // another port is another origin
    ];
    for (const headers of attacks) {
      const res = await client.mutation("apiKeys.create", { orgSlug, kind: "read", name: "forged" }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.data.code).toBe("FORBIDDEN");
      expect(body.error.json.message).toContain("cross-site request refused");
    }
    expect(await keyCount()).toBe(before);
  });

  it("a mutation cannot be sent as a GET (which SameSite=Lax would let through top-level navigations)", async () => {
    const before = await keyCount();
    const q = encodeURIComponent(JSON.stringify({ json: { orgSlug, kind: "read", name: "via-get" } }));
    const res = await fetch(`${server.url}/api/trpc/apiKeys.create?input=${q}`, { headers: { cookie: client.cookie, "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(405);
    expect(await keyCount()).toBe(before);
  });

  it("queries (GET, no side effects) still work for the page, and non-browser clients without Origin are not blocked", async () => {
    expect((await client.query("apiKeys.list", { orgSlug }, same)).status).toBe(200);
    const before = await keyCount();
    expect((await client.mutation("apiKeys.create", { orgSlug, kind: "read", name: "cli" })).status).toBe(200);
    expect(await keyCount()).toBe(before + 1);
  });

  it("sign-in, sign-up and sign-out from another site are refused (login CSRF)", async () => {
    const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const signIn = await client.signIn(email, password, evil);
    expect(signIn.status).toBe(403);
    expect(signIn.headers.getSetCookie()).toEqual([]);
    const signUp = await client.signUp(`forged-${Date.now()}@test.local`, password, evil);
    expect(signUp.status).toBe(403);
    expect(await db.prisma.user.count({ where: { email: { startsWith: "forged-" } } })).toBe(0);
    const signOut = await fetch(`${server.url}/api/auth/sign-out`, { method: "POST", headers: { cookie: client.cookie, ...evil } });
    expect(signOut.status).toBe(403);
    expect((await client.query("apiKeys.list", { orgSlug }, same)).status).toBe(200); // still signed in
  });

  it("session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure over an http public URL", async () => {
    const res = await httpClient(server.url).signIn(email, password, same);
    expect(res.status).toBe(200);
    const session = res.headers.getSetCookie().find((c) => c.includes("session_token"));
    expect(session).toBeDefined();
    const attrs = session!.split(";").map((a) => a.trim().toLowerCase());
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs).not.toContain("secure");
  });

  it("session cookie: Secure (and __Secure- prefixed) when the public URL is https", async () => {
    const publicUrl = "https://inferledger.example.com";
    usePublicUrl(publicUrl);
    try {
      const res = await httpClient(server.url).signIn(email, password, { origin: publicUrl, "sec-fetch-site": "same-origin" });
      expect(res.status).toBe(200);
      const session = res.headers.getSetCookie().find((c) => c.includes("session_token"));
      expect(session).toMatch(/^__Secure-/);
      const attrs = session!.split(";").map((a) => a.trim().toLowerCase());
      expect(attrs).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
      // The http origin is no longer the public one: a page there cannot mutate.
      const res2 = await client.mutation("apiKeys.create", { orgSlug, kind: "read", name: "x" }, { origin: "http://evil.example" });
      expect(res2.status).toBe(403);
    } finally {
      usePublicUrl(server.url);
    }
  });
});
