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

/**
 * The demo's back-filled history reaches the pages only after the worker has settled it into tasks and rollups;
 * reload until it has (bounded), instead of assuming processing is instant.
 */
export async function gotoWhenReady(page: Page, path: string, ready: () => Promise<void>): Promise<void> {
  await page.goto(path);
  await expect(async () => {
    await page.reload();
    await ready();
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });
}
