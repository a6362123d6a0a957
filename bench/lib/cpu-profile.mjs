// A `--import` hook for benchmarks: in an `inferledger serve` process (only there), records a V8 CPU profile of
// PROFILE_SECONDS (default 10) starting PROFILE_DELAY_S (default 8) after start, writes it to PROFILE_OUT
// (default /tmp/serve.cpuprofile; opens in Chrome DevTools) and prints the top functions by self time to stderr.
//   NODE_OPTIONS=--import=./bench/lib/cpu-profile.mjs npx tsx bench/ingest-load.ts 20 8 traces
import fs from "node:fs";
import inspector from "node:inspector";

if (process.argv.includes("serve")) {
  const delayS = Number(process.env.PROFILE_DELAY_S ?? 8);
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
  const out = process.env.PROFILE_OUT ?? "/tmp/serve.cpuprofile";
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  setTimeout(async () => {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 500 });
    await post("Profiler.start");
    setTimeout(async () => {
      const { profile } = await post("Profiler.stop");
      fs.writeFileSync(out, JSON.stringify(profile));
      const dt = new Map();
      for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
      const self = new Map();
      let total = 0;
      for (const node of profile.nodes) {
        const us = dt.get(node.id) ?? 0;
        total += us;
        const f = node.callFrame;
        const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + us);
      }
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
      process.stderr.write(`[cpu-profile] ${out}, ${(total / 1e6).toFixed(1)} s sampled\n`);
      for (const [k, us] of top) process.stderr.write(`[cpu-profile] ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}\n`);
    }, seconds * 1000).unref();
  }, delayS * 1000).unref();
}
