import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVE_NODE_FLAGS } from "../../../../server/runtime/serve-node-flags.ts";

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../../../package.json"), "utf8")) as { scripts: Record<string, string> };

describe("npm start's heap flags", () => {
  it("are the ones benchmarks and e2e start the server with", () => {
    expect(pkg.scripts.start).toBe(`node ${SERVE_NODE_FLAGS.join(" ")} bin/inferledger.mjs serve`);
  });
});
