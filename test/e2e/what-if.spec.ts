import { expect, test, type Page } from "@playwright/test";
import { gotoWhenReady, signInAsDemo } from "./helpers.ts";

const monthly = (page: Page) => page.getByTestId("simulated-monthly");

/** The what-if page on the demo org's real (back-filled) traffic, engine in the browser. */
test("what-if: scenarios on the demo org's traffic change the simulated monthly cost; save and compare", async ({ page }) => {
  await signInAsDemo(page);
  // Ready once the back-filled history is settled into tasks and rolled up for the four demo features.
  await gotoWhenReady(page, "/o/demo/what-if?period=7d", async () => {
    // (live calls not settled yet can add a transient feature named after the service, so: at least four)
    await expect(page.getByText(/\b([4-9]|\d{2,}) features\b/)).toBeVisible({ timeout: 3_000 });
    await expect(page.getByRole("row", { name: /^IPD/ }).getByRole("cell").nth(1)).toHaveText(/[1-9][\d.]* tasks\/\$/, { timeout: 1_000 });
  });
  const actual = await page.getByTestId("actual-monthly").textContent();
  await expect(monthly(page)).toHaveText(actual!); // no scenario yet: simulated = actual

  // Prompt trimming: moving the slider lowers the simulated cost.
  const builder = page.getByRole("region", { name: "Scenario builder" });
  await builder.getByLabel("Scenario to add").selectOption("trim-input");
  await builder.getByRole("button", { name: "Add" }).click();
  const trim = builder.getByRole("group", { name: /Prompt trimming/ });
  await expect(trim).toBeVisible();
  const at20 = await monthly(page).textContent();
  expect(at20).not.toBe(actual);
  await trim.getByLabel("Input tokens trimmed").fill("60");
  await expect(monthly(page)).not.toHaveText(at20!);
  const money = (s: string | null) => Number(s!.replace(/[$,]/g, ""));
  expect(money(await monthly(page).textContent())).toBeLessThan(money(at20));

  await page.getByLabel("Scenario name").fill("trim 60%");
  await page.getByRole("button", { name: "Save current scenarios" }).click();
  const saved = page.getByRole("region", { name: "Saved scenarios" });
  await expect(saved.getByRole("cell", { name: "trim 60%", exact: true })).toBeVisible();

  // A second list: self-host the API traffic on auto-sized H100s (pools, GPU count and utilization appear).
  await trim.getByRole("button", { name: "Remove" }).click();
  await builder.getByLabel("Scenario to add").selectOption("self-host");
  await builder.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("cell", { name: /llama-3.1-70b fp8 on \d+ × 2 h100-sxm/ })).toBeVisible();
  await page.getByLabel("Scenario name").fill("self-host 70B");
  await page.getByRole("button", { name: "Save current scenarios" }).click();
  await expect(saved.getByRole("cell", { name: "self-host 70B", exact: true })).toBeVisible();

  await saved.getByLabel("Compare trim 60%").check();
  await saved.getByLabel("Compare self-host 70B").check();
  const compare = page.getByTestId("compare-table");
  await expect(compare.getByRole("columnheader")).toHaveText(["Metric", "Actual period", "self-host 70B", "trim 60%"]);
  await expect(compare.getByRole("row", { name: /Self-hosted GPUs/ }).getByRole("cell").nth(2)).toHaveText(/^[1-9]\d*$/);

  // The GPU model's frontier and break-even charts render with their units.
  await expect(page.getByText("time per output token (ms)").first()).toBeVisible();
  await expect(page.getByTestId("break-even")).toContainText("output tokens/month");
  await page.screenshot({ path: "test-results/e2e/screens/what-if-scenarios.png", fullPage: true });
});

test("GPUs page: the GPU model calibrated on the demo pool, predicted vs observed", async ({ page }) => {
  await signInAsDemo(page);
  await gotoWhenReady(page, "/o/demo/gpus?period=7d", () => expect(page.getByTestId("calibration-error-after")).toHaveText(/^\d+%$/, { timeout: 3_000 }));
  const panel = page.getByLabel("Model calibration");
  await expect(panel).toContainText("llama-3.1-70b at fp8 on 1 × 2 h100-sxm");
  await panel.getByLabel("Served precision").selectOption("bf16");
  await expect(panel).toContainText("llama-3.1-70b at bf16");
  await expect(panel.getByText("tokens/s (log)")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/gpus-calibration.png", fullPage: true });
});
