import { describe, expect, it } from "vitest";
import { can, canAssignRole, ROLE_PERMISSIONS, ROLES } from "../../../../../server/domain/access/permissions.ts";

describe("role → permission table", () => {
  it("owner and admin can do everything; viewers only read", () => {
    expect(can("owner", "keys:manage")).toBe(true);
    expect(can("admin", "prices:manage")).toBe(true);
    expect(ROLE_PERMISSIONS.viewer.every((p) => p.endsWith(":read"))).toBe(true);
  });

  it("finance reads costs and reports but never changes collectors, keys or prices", () => {
    expect(can("finance", "costs:read")).toBe(true);
    expect(can("finance", "reports:read")).toBe(true);
    for (const p of ["collectors:manage", "keys:manage", "prices:manage", "pools:manage"] as const) expect(can("finance", p)).toBe(false);
  });

  it("engineers manage collectors and pools, not prices or members", () => {
    expect(can("engineer", "collectors:manage")).toBe(true);
    expect(can("engineer", "pools:manage")).toBe(true);
    expect(can("engineer", "prices:manage")).toBe(false);
    expect(can("engineer", "members:manage")).toBe(false);
  });

  it("only owners grant the owner role", () => {
    for (const actor of ROLES) expect(canAssignRole(actor, "owner")).toBe(actor === "owner");
    expect(canAssignRole("admin", "engineer")).toBe(true);
    expect(canAssignRole("engineer", "viewer")).toBe(false);
  });
});

describe("what-if scenarios", () => {
  it("everyone but viewers may save scenarios", () => {
    for (const role of ROLES) expect(can(role, "scenarios:manage"), role).toBe(role !== "viewer");
  });
});
