import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT_DIR = path.resolve(import.meta.dirname, "../..");
const SOURCES = ["app", "server", "collectors", "next.config.js", "package.json", "tsconfig.json"];

function newestMtimeMs(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtimeMs(path.join(target, entry)));
  }
  return newest;
}

/** True when there is no production build or a source file changed after it. */
export function isNextBuildStale(root: string = ROOT_DIR): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtimeMs(path.join(root, s)) > builtAt);
}

/** Builds the dashboard when needed, so `npm start` works on a fresh clone with no extra step. */
export function ensureNextBuild(log: (line: string) => void, root: string = ROOT_DIR): void {
  if (!isNextBuildStale(root)) return;
  log("building the dashboard (first start or sources changed; ~30 s)…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // eslint-disable-next-line no-restricted-properties -- passes the environment through to the build, reads nothing
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  }
}
