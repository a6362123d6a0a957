import { expect, type Page } from "@playwright/test";

export const DEMO_EMAIL = "demo@inferledger.local";
export const DEMO_PASSWORD = "e2e-demo-password";

/** Signs in through the real form (the page under test), landing on the demo org. */
export async function signInAsDemo(page: Page): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/o\/demo\/overview$/);
}
