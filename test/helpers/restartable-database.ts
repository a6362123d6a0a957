import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const run = promisify(execFile);

/**
 * A database server the test owns and may stop and start again on the same port — never the machine's shared
 * PostgreSQL. `stop()` is abrupt (connections cut, in-flight transactions lost); committed data survives.
 */
export type RestartableDatabase = {
  kind: "postgresql" | "pglite";
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  destroy: () => Promise<void>;
};

const PG_BIN_DIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];

/** The directory holding initdb and pg_ctl, if this machine has PostgreSQL's server binaries. */
export function findPostgresBinaries(): string | null {
  for (const dir of PG_BIN_DIRS) if (fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  return null;
}

/** The handle both kinds return; destroy() stops the server (once) and removes its directory. */
function restartable(kind: RestartableDatabase["kind"], port: number, dir: string, start: () => Promise<void>, stop: () => Promise<void>): RestartableDatabase {
  let destroyed = false;
  return {
    kind,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** initdb refuses to run as root: as root, run the server binaries as the `postgres` OS user. */
function asServerUser(): { wrap: (bin: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } | null {
  if (process.getuid?.() !== 0) return { wrap: (bin, args) => [bin, args] };
  try {
    const line = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
    if (!line) return null;
    const [, , uid, gid] = line.split(":");
    return { wrap: (bin, args) => ["runuser", ["-u", "postgres", "--", bin, ...args]], uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

/**
 * A second PostgreSQL cluster in a temp dir on a free loopback port (trust auth, user postgres). Null if impossible here.
 * `settings` are extra server settings (`-c name=value`), e.g. bench/tuned-postgres.ts's production-like ones.
 */
export async function startThrowawayPostgres(options: { settings?: Record<string, string> } = {}): Promise<RestartableDatabase | null> {
  const bin = findPostgresBinaries();
  const user = asServerUser();
  if (!bin || !user) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inferledger-pg-"));
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid!);
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const exec = (tool: string, args: string[]) => {
    const [file, argv] = user.wrap(path.join(bin, tool), args);
    return run(file, argv, { timeout: 60_000 });
  };
  await exec("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  // Own socket dir and loopback only: nothing collides with the shared server's socket or port.
  const extra = Object.entries(options.settings ?? {}).map(([name, value]) => ` -c ${name}=${value}`).join("");
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50${extra}`;
  const start = async () => {
    await exec("pg_ctl", ["-D", dataDir, "-o", serverOptions, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]);
  };
  // Immediate mode: like a crash — no checkpoint, connections cut; only what was committed to WAL survives.
  const stop = async () => {
    await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
  };
  await start();
  return restartable("postgresql", port, dir, start, stop);
}

/**
 * Embedded PGlite on disk, served over the PostgreSQL wire protocol on a fixed loopback port. stop() closes
 * the socket server (cutting connections; an open transaction is rolled back) and the database itself;
 * start() reopens the same data directory on the same port — a real restart from disk.
 */
export async function startRestartablePglite(): Promise<RestartableDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inferledger-pglite-"));
  const port = await freePort();
  let db: PGlite | null = null;
  let server: PGLiteSocketServer | null = null;
  const start = async () => {
    db = await PGlite.create(path.join(dir, "pg"));
    server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 64 });
    await server.start();
  };
  const stop = async () => {
    await server?.stop();
    await db?.close();
    server = null;
    db = null;
  };
  await start();
  return restartable("pglite", port, dir, start, stop);
}
