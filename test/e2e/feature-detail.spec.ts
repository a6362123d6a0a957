import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { gotoWhenReady, signInAsDemo } from "./helpers.ts";

test("feature page: cost-per-task distribution, task shape, token mix and prompt growth of one feature", async ({ page }) => {
  await signInAsDemo(page);
  const histogram = page.getByRole("heading", { name: "Cost per task (tasks per USD bucket)" });
  await gotoWhenReady(page, "/o/demo/features?feature=code-review&period=30d", async () => {
    await expect(histogram).toBeVisible({ timeout: 3_000 });
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 3_000 });
    // Tasks settle before the daily rollups the growth is read from: wait for both, not just the histogram.
    await expect(page.getByText(/input tokens\/call \(\+\d+(\.\d+)?%\)/).first()).toBeVisible({ timeout: 3_000 });
  });
  await expect(page.locator(".kpi").filter({ hasText: "Cost per task, median (p50)" }).locator(".kpi-value")).toHaveText(/\$\d/);
  await expect(page.getByRole("row", { name: /Input, cache reads/ })).toContainText("tokens");
  // The demo's code reviewer has a prompt that grows over time (checked above, once the rollups were ready).
  await expect(page.getByRole("heading", { name: "Spend by model" })).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/feature-detail.png", fullPage: true });
});

test("feature page: Export CSV downloads the feature's tasks in the period, exact cost or 'unpriced'", async ({ page }) => {
  await signInAsDemo(page);
  await gotoWhenReady(page, "/o/demo/features?feature=code-review&period=7d", async () => {
    await expect(page.locator(".kpi").filter({ hasText: "Tasks (success rate)" }).locator(".kpi-value")).toHaveText(/^[1-9]/, { timeout: 3_000 });
  });
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^feature-code-review-7d-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await fs.readFile(await file.path(), "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe("task_id,task_type,customer_id,outcome,calls,retry_calls,failed_calls,unpriced_calls,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,cost_usd,started_at_utc");
  expect(lines.length).toBeGreaterThan(1);
  const costColumn = lines[0]!.split(",").indexOf("cost_usd");
  for (const line of lines.slice(1, 50)) {
    const cells = line.split(",");
    // Demo task ids and types hold no commas, so a plain split finds the columns.
    expect(cells[costColumn]).toMatch(/^(\d+(\.\d+)?|unpriced)$/);
    expect(cells.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }
  await expect(page.getByRole("status").filter({ hasText: "tasks exported" })).toContainText(/\d+ tasks exported/);
  await page.screenshot({ path: "test-results/e2e/screens/feature-detail-export.png" });
});
