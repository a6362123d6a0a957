import { getEnv } from "../env.ts";
import { parseArgs, stringFlag, UsageError, type ParsedArgs } from "./args.ts";

export const HELP = `inferledger — what every LLM inference really costs

Usage: inferledger <command> [options]

Commands:
  serve [--role all|web|collector|worker]   Run InferLedger (default role: all). Same as \`npm start\`.
  org create --name <name> [--owner-email <email>] [--json]
                                            Create an organization with a fresh ingest key and read key;
                                            --owner-email makes an existing dashboard user its owner.
  db migrate                                Apply database migrations (also done at every start).
  simulate --gpu <id> --model <id> --isl N --osl N [--gpus N] [--precision fp8]
           [--concurrency N | --offline] [--gpu-hourly-usd 2.49] [--json]
                                            GPU throughput model (no database needed).
  alerts evaluate --org <id> [--json]       Evaluate an org's alert rules now and deliver notifications.
  alerts create --org <id> --type <type> …  Create an alert rule.
  --help                                    Show this help.

Database: DATABASE_URL, else the embedded database in INFERLEDGER_DATA_DIR (default .data) — through the
running server when \`npm start\` is up, or opened directly when it is not.
`;

export type CommandIo = { out: (text: string) => void; err: (text: string) => void };

type Command = (args: ParsedArgs, io: CommandIo) => Promise<number>;

// Loaded on use: a command loads what it needs only (a collector process started by `serve` has no use for the
// services behind `org create` and `alerts`, nor for better-auth's ~80 MB of modules).
const COMMANDS: Record<string, () => Promise<Command>> = {
  "org create": async () => (await import("./commands/org-create.ts")).orgCreate,
  "db migrate": async () => (await import("./commands/db-migrate.ts")).dbMigrate,
  "alerts evaluate": async () => (await import("./commands/alerts.ts")).alertsEvaluate,
  "alerts create": async () => (await import("./commands/alerts.ts")).alertsCreate,
  simulate: async () => (await import("./commands/simulate.ts")).simulate,
  serve: async () => (await import("./commands/serve.ts")).serve,
};

/** Entry point; returns the exit code. Only command output goes to stdout (JSON modes stay parseable). */
export async function main(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  const args = parseArgs(argv);
  const [first, second] = args.positional;
  if (!first || (args.flags.has("help") && !first) || first === "help") {
    io.out(HELP);
    return 0;
  }
  const name = COMMANDS[`${first} ${second ?? ""}`.trim()] ? `${first} ${second ?? ""}`.trim() : first;
  const loadCommand = COMMANDS[name];
  if (!loadCommand) {
    io.err(`unknown command: ${args.positional.join(" ")}\n\n${HELP}`);
    return 2;
  }
  if (args.flags.has("help")) {
    io.out(HELP);
    return 0;
  }
  try {
    if (name !== "simulate") getEnv(); // the GPU model needs no configuration
    const command = await loadCommand();
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    io.err(`error: ${(error as Error).message}\n`);
    return 1;
  }
}

export { stringFlag };
