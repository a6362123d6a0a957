import { clusterProcessSlot, isCollectorClusterProcess, stopRequestedByPrimary } from "../../../collectors/cluster/cluster-process.ts";
import { startInferLedger, type Role } from "../../runtime/start.ts";
import { stringFlag, UsageError, type ParsedArgs } from "../args.ts";
import type { CommandIo } from "../main.ts";

const ROLES: Role[] = ["all", "web", "collector", "worker"];

/** Runs until SIGINT/SIGTERM (a collector cluster's process: until its primary says so), then drains and stops. */
export async function serve(args: ParsedArgs, io: CommandIo): Promise<number> {
  const role = (stringFlag(args, "role") ?? "all") as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const prefix = isCollectorClusterProcess() ? `[inferledger] collector ${clusterProcessSlot()}:` : "[inferledger]";
  const log = (line: string) => io.err(`${prefix} ${line}\n`);
  if (isCollectorClusterProcess()) {
    const stopRequested = stopRequestedByPrimary(); // listening before the start, so an early stop is not missed
    try {
      const instance = await startInferLedger({ role, log });
      log(`${await stopRequested}: draining and stopping…`);
      await instance.stop();
      return 0;
    } finally {
      if (process.connected) process.disconnect(); // the IPC channel would keep this process alive, even after a failed start
    }
  }
  const instance = await startInferLedger({ role, log });
  if (instance.webUrl) io.out(`\n  InferLedger dashboard: ${instance.webUrl}\n`);
  if (instance.collectorUrl) io.out(`  OTLP/HTTP collector:   ${instance.collectorUrl}  (POST /v1/traces, /v1/metrics)\n`);
  if (instance.demo) {
    const password = instance.demo.password ?? "(printed at first start; set INFERLEDGER_DEMO_PASSWORD to choose a new one)";
    io.out(`  Demo sign-in:          ${instance.demo.email}  password: ${password}\n\n`);
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log(`${signal}: draining and stopping…`);
      resolve();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  await instance.stop();
  log("stopped");
  return 0;
}
