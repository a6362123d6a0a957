/** Org roles and what each may do: the one role→permission table (UI and server both read it). */
export const ROLES = ["owner", "admin", "engineer", "finance", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "costs:read",
  "reports:read",
  "alerts:read",
  "alerts:manage",
  "collectors:manage",
  "pools:manage",
  "prices:manage",
  "keys:manage",
  "members:read",
  "members:manage",
  "scenarios:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["costs:read", "reports:read", "alerts:read", "members:read"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  // Engineers run the telemetry side: collectors, pools, alerts; not prices, keys or people.
  engineer: [...READ, "alerts:manage", "collectors:manage", "pools:manage", "scenarios:manage"],
  // Finance reads everything, manages alerts (budgets) and saves what-if scenarios; never touches collectors.
  finance: [...READ, "alerts:manage", "scenarios:manage"],
  viewer: READ,
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Only an owner may grant or take away the owner role. */
export function canAssignRole(actor: Role, target: Role): boolean {
  if (!can(actor, "members:manage")) return false;
  return target !== "owner" || actor === "owner";
}
