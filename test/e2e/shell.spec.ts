import { expect, test } from "@playwright/test";
import { DEMO_EMAIL, signInAsDemo } from "./helpers.ts";

test("an anonymous visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "InferLedger" })).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/sign-in.png", fullPage: true });
});

test("a wrong password shows an error and stays on sign-in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText(/invalid/i);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the demo user signs in, sees every area in the navigation, and signs out", async ({ page }) => {
  await signInAsDemo(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Overview", "Features", "Tasks", "GPUs", "Prompts", "Alerts", "What-if", "Pricing review", "Settings"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(page.getByRole("combobox", { name: "Organization" })).toHaveValue("demo");
  await page.screenshot({ path: "test-results/e2e/screens/overview.png", fullPage: true });
  await nav.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/o/demo/overview");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("API keys: create one (shown once), list it by prefix, revoke it", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/o/demo/settings/api-keys");
  const form = page.getByRole("form", { name: "Create API key" });
  await form.getByLabel("Name").fill("e2e read key");
  await form.getByLabel("Kind").selectOption("read");
  await form.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByTestId("new-api-key").textContent();
  expect(secret).toMatch(/^il_read_/);
  const row = page.getByRole("row").filter({ hasText: "e2e read key" });
  await expect(row).toContainText(secret!.slice(0, 14));
  await expect(row).not.toContainText(secret!);
  await page.screenshot({ path: "test-results/e2e/screens/api-keys.png", fullPage: true });
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
});

test("members: the owner sees themself and can invite by email with a role", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/o/demo/settings/members");
  await expect(page.getByRole("row").filter({ hasText: DEMO_EMAIL })).toBeVisible();
  const form = page.getByRole("form", { name: "Add member" });
  await form.getByLabel("Email").fill("finance-e2e@example.com");
  await form.getByLabel("Role").selectOption("finance");
  await form.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("row").filter({ hasText: "finance-e2e@example.com" })).toContainText("finance");
  await page.screenshot({ path: "test-results/e2e/screens/members.png", fullPage: true });
});

test("creating an organization switches to it", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(`E2E Org ${Date.now()}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/o\/e2e-org-\d+\/settings\/api-keys$/);
  await expect(page.getByRole("combobox", { name: "Organization" })).toHaveValue(/e2e-org-/);
});
