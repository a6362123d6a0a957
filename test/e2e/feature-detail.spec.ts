import { expect, test } from "@playwright/test";
import { gotoWhenReady, signInAsDemo } from "./helpers.ts";

test("feature page: cost-per-task distribution, task shape, token mix and prompt growth of one feature", async ({ page }) => {
  await signInAsDemo(page);
  const histogram = page.getByRole("heading", { name: "Cost per task (tasks per USD bucket)" });
  await gotoWhenReady(page, "/o/demo/features?feature=code-review&period=30d", async () => {
    await expect(histogram).toBeVisible({ timeout: 3_000 });
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible({ timeout: 3_000 });
  });
  await expect(page.locator(".kpi").filter({ hasText: "Cost per task, median (p50)" }).locator(".kpi-value")).toHaveText(/\$\d/);
  await expect(page.getByRole("row", { name: /Input, cache reads/ })).toContainText("tokens");
  // The demo's code reviewer has a prompt that grows over time.
  await expect(page.getByText(/input tokens\/call \(\+\d+(\.\d+)?%\)/).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Spend by model" })).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/feature-detail.png", fullPage: true });
});
