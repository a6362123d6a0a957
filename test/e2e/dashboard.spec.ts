import { expect, test } from "@playwright/test";
import { gotoWhenReady, signInAsDemo } from "./helpers.ts";

// The demo org's history is back-filled through the real collector at start; pages must show it.
test.describe("dashboard pages on the demo org's real data", () => {
  test.beforeEach(async ({ page }) => {
    await signInAsDemo(page);
  });

  test("overview: KPIs and non-empty spend charts; the period picker changes the URL", async ({ page }) => {
    const heading = page.getByRole("heading", { name: /Spend by feature \(USD per day\)/ });
    await gotoWhenReady(page, "/o/demo/overview?period=7d", () => expect(heading).toBeVisible({ timeout: 3_000 }));
    await expect(page.getByText("IPD (successful tasks per $)")).toBeVisible();
    await expect(page.locator(".kpi-value").first()).toHaveText(/\$\d/);
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
    await page.getByRole("group", { name: "Period" }).getByRole("button", { name: "30d" }).click();
    await expect(page).toHaveURL(/period=30d/);
    await expect(heading).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/screens/overview-data.png", fullPage: true });
  });

  test("features: table by feature, drill into one feature by model", async ({ page }) => {
    const row = page.getByRole("row").filter({ hasText: "support-bot" });
    await gotoWhenReady(page, "/o/demo/features", () => expect(row).toBeVisible({ timeout: 3_000 }));
    await row.getByRole("link", { name: "support-bot" }).click();
    await expect(page).toHaveURL(/feature=support-bot/);
    // The demo's calls report the dated response model (gpt-4o-mini-2024-07-18); a call that failed before any
    // response has only the request model — either row may be there, so take the first.
    await expect(page.getByRole("row").filter({ hasText: "gpt-4o-mini" }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/screens/features.png", fullPage: true });
  });

  test("tasks: filter by outcome, open a task's call tree", async ({ page }) => {
    const first = page.getByRole("row").nth(1);
    await gotoWhenReady(page, "/o/demo/tasks?outcome=failure", () => expect(first).toContainText("failure", { timeout: 3_000 }));
    await first.getByRole("link").first().click();
    await expect(page.getByRole("heading", { name: "Call tree" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "chat" }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/screens/task.png", fullPage: true });
  });

  test("prompts: the code reviewer's prompt creep is shown with its $ impact", async ({ page }) => {
    const card = page.locator("section.panel").filter({ hasText: "code-review · review-instructions" });
    await gotoWhenReady(page, "/o/demo/prompts", () => expect(card).toBeVisible({ timeout: 3_000 }));
    await expect(card).toContainText(/\+\d+(\.\d+)?% input tokens\/call · \+\$\d/);
    await page.screenshot({ path: "test-results/e2e/screens/prompts.png", fullPage: true });
  });

  test("GPUs: the demo pool shows busy vs idle cost and a utilization heatmap", async ({ page }) => {
    await gotoWhenReady(page, "/o/demo/gpus", () => expect(page.getByRole("table", { name: /GPU utilization/ })).toBeVisible({ timeout: 3_000 }));
    await expect(page.getByRole("heading", { name: /llama-70b/ })).toBeVisible();
    await expect(page.getByText("Idle", { exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: /GPU utilization/ })).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/screens/gpus.png", fullPage: true });
  });

  test("prices: an owner adds a discount and sees it audited", async ({ page }) => {
    await page.goto("/o/demo/settings/prices");
    const form = page.getByRole("form", { name: "Add price override" });
    await form.getByLabel("Model").fill("gpt-4.1");
    await form.getByLabel("or discount %").fill("10");
    await form.getByLabel("Valid from (UTC)").fill("2026-01-01");
    await form.getByRole("button", { name: "Add override" }).click();
    await expect(page.getByRole("status")).toContainText(/past calls re-priced/, { timeout: 30_000 });
    await expect(page.getByRole("row").filter({ hasText: "openai / gpt-4.1" })).toContainText("10%");
    await page.screenshot({ path: "test-results/e2e/screens/prices.png", fullPage: true });
  });
});

test("what-if: the model runs in the browser; changing the GPU changes the results", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/o/demo/what-if");
  const throughput = page.getByTestId("whatif-throughput");
  await expect(throughput).toHaveText(/\d/);
  const before = await throughput.textContent();
  await page.getByRole("form", { name: "Scenario" }).getByRole("combobox", { name: "GPU", exact: true }).selectOption("l4");
  await expect(throughput).not.toHaveText(before!);
  await page.getByLabel("Output tokens per request").fill("2048");
  await page.screenshot({ path: "test-results/e2e/screens/what-if.png", fullPage: true });
});

test("pricing review: recommendations, same usage at other prices, CSV export", async ({ page }) => {
  await signInAsDemo(page);
  await gotoWhenReady(page, "/o/demo/pricing-review", () => expect(page.getByRole("heading", { name: /The same usage at other providers/ })).toBeVisible({ timeout: 3_000 }));
  await expect(page.getByRole("heading", { name: /Recommendations/ })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^pricing-review-.*\.csv$/);
  await page.screenshot({ path: "test-results/e2e/screens/pricing-review.png", fullPage: true });
});
