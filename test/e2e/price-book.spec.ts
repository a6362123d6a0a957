import { expect, test } from "@playwright/test";
import { signInAsDemo } from "./helpers.ts";

test("Settings → Prices: search the price book, page through it, see the org's own price where an override applies", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/o/demo/settings/prices");
  const book = page.getByRole("region", { name: "Price book" });
  await expect(book.getByRole("navigation", { name: "Price book pages" })).toContainText(/Page 1 of \d+ · [\d,]+ prices/);

  // Server-side paging: page 2 shows other rows.
  const firstRow = await book.getByRole("row").nth(1).innerText();
  await book.getByRole("button", { name: "Next" }).click();
  await expect(book.getByRole("navigation", { name: "Price book pages" })).toContainText("Page 2 of");
  await expect(book.getByRole("row").nth(1)).not.toHaveText(firstRow);

  // Search by model, with tiers shown (Gemini 2.5 Pro bills the whole request higher above 200k input tokens).
  const search = page.getByRole("search", { name: "Search the price book" });
  await search.getByLabel("Provider or model").fill("gemini-2.5-pro");
  await search.getByRole("button", { name: "Search" }).click();
  const gemini = book.getByRole("row").filter({ has: page.getByText("gemini-2.5-pro", { exact: true }) }).first();
  await expect(gemini).toContainText("$1.25");
  await expect(gemini).toContainText(">200,000 in: $2.5");

  // A discount valid from today applies now: the row shows the org's effective price next to the catalog's.
  const today = new Date().toISOString().slice(0, 10);
  const form = page.getByRole("form", { name: "Add price override" });
  await form.getByLabel("Provider").fill("openai");
  await form.getByLabel("Model").fill("gpt-4o-mini");
  await form.getByLabel("or discount %").fill("20");
  await form.getByLabel("Valid from (UTC)").fill(today);
  await form.getByRole("button", { name: "Add override" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await search.getByLabel("Provider or model").fill("gpt-4o-mini");
  await search.getByRole("combobox", { name: "Provider", exact: true }).selectOption("openai");
  await search.getByRole("button", { name: "Search" }).click();
  const mini = book.getByRole("row").filter({ has: page.getByText("gpt-4o-mini", { exact: true }) }).first();
  await expect(mini).toContainText("your price");
  await expect(mini).toContainText("20% off");
  await expect(mini).toContainText("in $0.12");
  await expect(mini).toContainText("out $0.48");
  await page.screenshot({ path: "test-results/e2e/screens/price-book.png", fullPage: true });

  // Nothing matches: the empty state says what that means for calls.
  await search.getByLabel("Provider or model").fill("no-such-model-xyz");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(book.getByText("No prices match")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/price-book-empty.png", fullPage: true });

  // Leave the demo org as it was (removing the override re-prices today's calls back).
  await page.getByRole("row").filter({ hasText: "openai / gpt-4o-mini" }).filter({ hasText: "20%" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("row").filter({ hasText: "openai / gpt-4o-mini" }).filter({ hasText: "20%" })).toHaveCount(0);
});
