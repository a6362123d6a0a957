import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { gotoWhenReady, signInAsDemo } from "./helpers.ts";

// Every page of the dashboard, with the demo org's data, checked by axe-core against WCAG 2.1 A/AA rules
// (labels, names, contrast, landmarks, ARIA). Serious and critical findings fail the test.
const PAGES: [string, string][] = [
  ["overview", "/o/demo/overview?period=30d"],
  ["features", "/o/demo/features"],
  ["feature detail", "/o/demo/features?feature=support-bot"],
  ["tasks", "/o/demo/tasks"],
  ["gpus", "/o/demo/gpus"],
  ["prompts", "/o/demo/prompts"],
  ["alerts", "/o/demo/alerts"],
  ["what-if", "/o/demo/what-if"],
  ["pricing review", "/o/demo/pricing-review"],
  ["settings: api keys", "/o/demo/settings/api-keys"],
  ["settings: members", "/o/demo/settings/members"],
  ["settings: gpu pools", "/o/demo/settings/gpu-pools"],
  ["settings: prices", "/o/demo/settings/prices"],
];

test("accessibility: no serious or critical WCAG 2.1 A/AA violations on any page", async ({ page }) => {
  await signInAsDemo(page);
  const findings: string[] = [];
  for (const [name, url] of PAGES) {
    // Wait for the page's data (no skeleton left), so the real content is what gets checked.
    await gotoWhenReady(page, url, async () => {
      await expect(page.locator(".skeleton")).toHaveCount(0, { timeout: 3_000 });
      await expect(page.locator("h1").first()).toBeVisible({ timeout: 3_000 });
    });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const minor = result.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
    console.log(`a11y ${name}: ${result.passes.length} rules passed, ${result.violations.length} violated${minor.length ? ` (minor/moderate: ${minor.map((v) => v.id).join(", ")})` : ""}`);
    for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      findings.push(`${name}: ${v.id} (${v.impact}) ×${v.nodes.length} — ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }
  }
  expect(findings, findings.join("\n")).toEqual([]);
});

test("keyboard: sign in and move between pages without a mouse", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").focus();
  await page.keyboard.type("demo@inferledger.local");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type("e2e-demo-password");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/o\/demo\/overview$/);
  // Tab from the org switcher down the navigation until the Alerts link has focus, then follow it.
  await page.getByRole("combobox", { name: "Organization" }).focus();
  for (let i = 0; i < 12 && !(await page.getByRole("link", { name: "Alerts" }).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Alerts" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/o\/demo\/alerts$/);
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
});
