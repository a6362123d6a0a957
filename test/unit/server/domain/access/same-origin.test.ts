import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "../../../../../server/domain/access/same-origin.ts";

const trusted = ["https://app.example.com", "http://localhost:3000"];
const check = (method: string, headers: Record<string, string>) =>
  checkSameOrigin({ method, header: (name) => headers[name] ?? null }, trusted);

describe("same-origin check for cookie-authenticated mutations", () => {
  it("passes safe methods whatever their origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) expect(check(method, { origin: "https://evil.example" }).ok).toBe(true);
  });

  it("passes our own origins (scheme, host and port must all match)", () => {
    expect(check("POST", { origin: "https://app.example.com" }).ok).toBe(true);
    expect(check("POST", { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }).ok).toBe(true);
    expect(check("POST", { origin: "http://app.example.com" }).ok).toBe(false);
    expect(check("POST", { origin: "https://app.example.com:8443" }).ok).toBe(false);
    expect(check("POST", { origin: "https://app.example.com.evil.example" }).ok).toBe(false);
  });

  it("refuses null, cross-site and same-site (sibling subdomain) requests", () => {
    expect(check("POST", { origin: "null" })).toMatchObject({ ok: false, reason: expect.stringContaining("Origin null") });
    expect(check("POST", { "sec-fetch-site": "cross-site" }).ok).toBe(false);
    expect(check("POST", { "sec-fetch-site": "same-site" }).ok).toBe(false);
    expect(check("DELETE", { referer: "https://evil.example/x" }).ok).toBe(false);
    expect(check("POST", { referer: "not a url" }).ok).toBe(false);
  });

  it("passes requests from our pages identified only by Sec-Fetch-Site or Referer, and non-browser clients", () => {
    expect(check("POST", { "sec-fetch-site": "same-origin" }).ok).toBe(true);
    expect(check("POST", { referer: "https://app.example.com/settings" }).ok).toBe(true);
    expect(check("POST", {}).ok).toBe(true);
  });
});
