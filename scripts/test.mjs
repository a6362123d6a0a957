// `npm test`: the whole suite — prisma generate, type-check, lint, unit + integration (vitest), e2e (Playwright).
// Runs every step, prints a summary, exits non-zero if any step failed.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const node = process.execPath;
const bin = (p) => path.join(root, "node_modules", p);
const steps = [
  ["prisma generate", [node, "scripts/prisma-generate.mjs"]],
  ["type-check (tsc --noEmit)", [node, bin("typescript/bin/tsc"), "--noEmit", "-p", "."]],
  ["lint (eslint)", [node, bin("eslint/bin/eslint.js"), "--max-warnings=0", "."]],
  ["unit + integration (vitest)", [node, bin("vitest/vitest.mjs"), "run"]],
  ["e2e (playwright)", [node, "scripts/e2e.mjs"]],
];
const only = process.argv.slice(2);
const results = [];
for (const [name, [cmd, ...args]] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  results.push({ name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name}  (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
