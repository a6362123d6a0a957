// A `--import` hook for benchmarks: in an `inferledger serve` process (only there), writes one line of memory figures
// to stderr every 10 s: RSS, V8 heap committed/used per space, and memory outside the heap (Buffers, ArrayBuffers),
// to tell which of them an RSS peak is.
//   NODE_OPTIONS=--import=./bench/lib/memory-probe.mjs npx tsx bench/soak.ts 3 12000
import v8 from "node:v8";

const MB = 1024 * 1024;
if (process.argv.includes("serve")) {
  const started = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name.replace(/_space$/, "")] = [Math.round(s.space_size / MB), Math.round(s.space_used_size / MB)];
    const line = {
      s: Math.round((Date.now() - started) / 1000), rssMb: Math.round(m.rss / MB), heapTotalMb: Math.round(m.heapTotal / MB),
      heapUsedMb: Math.round(m.heapUsed / MB), externalMb: Math.round(m.external / MB), arrayBuffersMb: Math.round(m.arrayBuffers / MB),
      spacesCommittedUsedMb: spaces,
    };
    process.stderr.write(`[memory] ${JSON.stringify(line)}\n`);
  }, 10_000).unref();
}
