import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * Embedded PostgreSQL (PGlite) served on a loopback port, so every part of InferLedger — Prisma, bulk SQL,
 * the CLI in another process — reaches it exactly like a real server. PGlite is single-process: the lock
 * file `<dataDir>/embedded.json` says which process owns it and where it listens.
 */
export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type LockFile = { pid: number; url: string; startedAt: string };

export function lockFilePath(dataDir: string): string {
  return path.join(dataDir, "embedded.json");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process serving the embedded database of dataDir (this one or another), if any. */
export function findRunningEmbedded(dataDir: string): LockFile | null {
  try {
    const lock = JSON.parse(fs.readFileSync(lockFilePath(dataDir), "utf8")) as LockFile;
    return isAlive(lock.pid) ? lock : null;
  } catch {
    return null;
  }
}

/** Opens PGlite (on disk under dataDir, or in memory when dataDir is null) and serves it on 127.0.0.1. */
export async function startEmbeddedDatabase(options: { dataDir: string | null }): Promise<EmbeddedDatabase> {
  const { dataDir } = options;
  if (dataDir) {
    const running = findRunningEmbedded(dataDir);
    if (running) throw new Error(`embedded database in ${dataDir} is already served by process ${running.pid} at ${running.url}`);
    fs.mkdirSync(dataDir, { recursive: true });
  }
  const db = await PGlite.create(dataDir ? path.join(dataDir, "pg") : undefined);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 64 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  if (dataDir) {
    const lock: LockFile = { pid: process.pid, url, startedAt: new Date().toISOString() };
    fs.writeFileSync(lockFilePath(dataDir), JSON.stringify(lock), { mode: 0o600 });
  }
  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (dataDir) fs.rmSync(lockFilePath(dataDir), { force: true });
      await server.stop();
      await db.close();
    },
  };
}
