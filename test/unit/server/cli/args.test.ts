import { describe, expect, it } from "vitest";
import { parseArgs, stringFlag } from "../../../../server/cli/args.ts";

describe("CLI argument parsing", () => {
  it("reads positionals, --flag value, --flag=value and boolean flags", () => {
    const args = parseArgs(["org", "create", "--name", "Acme Inc", "--json", "--role=web"]);
    expect(args.positional).toEqual(["org", "create"]);
    expect(stringFlag(args, "name")).toBe("Acme Inc");
    expect(stringFlag(args, "role")).toBe("web");
    expect(args.flags.get("json")).toBe(true);
    expect(stringFlag(args, "json")).toBeUndefined();
  });
});
