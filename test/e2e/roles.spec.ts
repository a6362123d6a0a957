import { expect, test, type Page } from "@playwright/test";
import { DEMO_EMAIL, signInAsDemo } from "./helpers.ts";

/** Absence checks mean something only once every query of the page has answered: wait for a loaded marker and quiet network. */
async function loaded(page: Page, marker: ReturnType<Page["getByRole"]>) {
  await expect(marker.first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

async function invite(page: Page, email: string, role: string) {
  await page.goto("/o/demo/settings/members");
  const form = page.getByRole("form", { name: "Add member" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText(role);
}

async function signUp(page: Page, email: string) {
  await page.goto("/sign-up");
  const form = page.getByRole("form", { name: "Sign up" });
  await form.getByLabel("Name").fill("Role Tester");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password (8+ characters)").fill("role-tester-password");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/demo\/overview$/);
}

test("role restrictions: a viewer reads costs but is offered no way to change rules, prices, pools, keys or members", async ({ page, browser }) => {
  const email = `viewer-${Date.now()}@example.com`;
  await signInAsDemo(page);
  await invite(page, email, "viewer");

  const viewer = await (await browser.newContext()).newPage();
  await signUp(viewer, email);
  await expect(viewer.getByText("viewer", { exact: true })).toBeVisible();
  await expect(viewer.getByText("IPD (successful tasks per $)")).toBeVisible();

  await viewer.goto("/o/demo/alerts");
  await loaded(viewer, viewer.getByRole("heading", { name: "Rules" }));
  await expect(viewer.getByRole("form", { name: "Create alert rule" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Evaluate now" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Edit" })).toHaveCount(0);

  await viewer.goto("/o/demo/settings/api-keys");
  await loaded(viewer, viewer.getByRole("heading", { name: "API keys are managed by owners and admins" }));
  await expect(viewer.getByRole("form", { name: "Create API key" })).toHaveCount(0);

  await viewer.goto("/o/demo/settings/prices");
  await loaded(viewer, viewer.getByRole("heading", { name: "Overrides" }));
  await expect(viewer.getByRole("form", { name: "Add price override" })).toHaveCount(0);
  await viewer.goto("/o/demo/settings/gpu-pools");
  await loaded(viewer, viewer.getByRole("row").filter({ hasText: "× " }));
  await expect(viewer.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Add pool" })).toHaveCount(0);
  await viewer.goto("/o/demo/settings/members");
  await loaded(viewer, viewer.getByRole("row").filter({ hasText: DEMO_EMAIL }));
  await expect(viewer.getByRole("form", { name: "Add member" })).toHaveCount(0);
  await viewer.screenshot({ path: "test-results/e2e/screens/viewer-members.png", fullPage: true });
  await viewer.context().close();

  // The same checks pass for the owner only because the controls are really there (a control for the test itself).
  await page.goto("/o/demo/settings/prices");
  await expect(page.getByRole("form", { name: "Add price override" })).toBeVisible();
  await page.goto("/o/demo/alerts");
  await expect(page.getByRole("form", { name: "Create alert rule" })).toBeVisible();
});
