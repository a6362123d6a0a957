#!/usr/bin/env node
// The `inferledger` CLI. TypeScript sources run through tsx (a runtime dependency), so no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
