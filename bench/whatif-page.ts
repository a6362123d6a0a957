/**
 * What-if page in a real browser: how big the period's traffic is on the wire, how long until the first results,
 * and how long one input change takes to recompute (engine in the browser) and re-render.
 *   npx tsx bench/whatif-page.ts <baseUrl> <demoPassword> [period=30d] [changes=10]
 * Needs a running `inferledger serve` with the demo org (e.g. `INFERLEDGER_DEMO_PASSWORD=… npm start`) and Debian's chromium.
 */
import { chromium } from "@playwright/test";

const [base = "http://localhost:3000", password = "", period = "30d", changesArg = "10"] = process.argv.slice(2);
const changes = Number(changesArg);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${base}/sign-in`);
await page.getByLabel("Email").fill("demo@inferledger.local");
await page.getByLabel("Password").fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/overview/);
const traffic = page.waitForResponse((r) => r.url().includes("whatif.traffic"));
let t = performance.now();
await page.goto(`${base}/o/demo/what-if?period=${period}`);
const response = await traffic;
const trafficBytes = (await response.body()).length;
const trafficMs = performance.now() - t;
await page.getByTestId("actual-monthly").waitFor();
const firstResultsMs = performance.now() - t;
const rows = await page.getByText(/hourly rows/).textContent();
await page.getByLabel("Scenario to add").selectOption("hybrid");
await page.getByRole("button", { name: "Add", exact: true }).click();
await page.getByRole("group", { name: /Hybrid/ }).getByLabel("Applies to feature").selectOption("code-review");
await page.getByLabel("Scenario to add").selectOption("cache");
await page.getByRole("button", { name: "Add", exact: true }).click();
const cache = page.getByRole("group", { name: /Caching/ });
await cache.getByLabel("Applies to feature").selectOption("support-bot");
const slider = cache.getByLabel("Semantic cache hit rate");
const times: number[] = [];
for (let i = 0; i < changes; i++) {
  const before = await page.getByTestId("simulated-monthly").textContent();
  t = performance.now();
  await slider.fill(String(20 + i * 5));
  await page.waitForFunction((prev) => document.querySelector('[data-testid="simulated-monthly"]')?.textContent !== prev, before);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
await browser.close();
console.log(JSON.stringify({
  date: new Date().toISOString(), period, traffic: rows?.split("·")[0]?.trim(), trafficBytes, trafficMs: Math.round(trafficMs), firstResultsMs: Math.round(firstResultsMs),
  scenarios: "hybrid on code-review (auto, p80) + semantic cache on support-bot", changes, changeToRenderMs: { median: Math.round(times[Math.floor(times.length / 2)]!), max: Math.round(times.at(-1)!) },
}, null, 2));
