import { describe, expect, it } from "vitest";
import { slugify } from "../../../../server/services/orgs/create-org.ts";

describe("slugify", () => {
  it("makes URL-safe lower-case slugs", () => {
    expect(slugify("Acme Robotics, Inc.")).toBe("acme-robotics-inc");
    expect(slugify("  Ünïcode Çorp ")).toBe("unicode-corp");
    expect(slugify("!!!")).toBe("org");
    expect(slugify("x".repeat(80))).toHaveLength(40);
  });
});
