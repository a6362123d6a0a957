import http from "node:http";
import { expect, test } from "@playwright/test";
import { signInAsDemo } from "./helpers.ts";

/** A local stand-in for Slack's incoming webhook: records what the server posts to it. */
async function startFakeSlack() {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      bodies.push(data);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/services/T0/B0/e2e`, bodies, close: () => new Promise((r) => server.close(r)) };
}

test("alerts: add a channel, edit a rule's threshold and channel, test-send it to Slack, pause it", async ({ page }) => {
  const slack = await startFakeSlack();
  try {
    await signInAsDemo(page);
    await page.goto("/o/demo/alerts");
    await expect(page.getByRole("heading", { name: "Rules" })).toBeVisible();
    const log = page.locator("section.panel").filter({ has: page.getByRole("heading", { name: "Delivery log" }) });
    await expect(log.getByRole("columnheader", { name: "Attempt" }).or(log.getByText("No deliveries yet"))).toBeVisible();
    await log.screenshot({ path: "test-results/e2e/screens/alerts-delivery-log-before.png" });

    const channelForm = page.getByRole("form", { name: "Add alert channel" });
    await channelForm.getByLabel("Name").fill("#e2e-costs");
    await channelForm.getByLabel("URL").fill(slack.url);
    await channelForm.getByRole("button", { name: "Add channel" }).click();
    const channelsPanel = page.locator("section.panel").filter({ has: page.getByRole("heading", { name: "Channels" }) });
    const channelRow = channelsPanel.getByRole("row").filter({ hasText: "#e2e-costs" });
    await expect(channelRow).toContainText("active");
    // The webhook URL is never shown in full.
    await expect(page.getByText(slack.url)).toHaveCount(0);

    const ruleRow = page.getByRole("row").filter({ hasText: /prompt creep/i }).first();
    await ruleRow.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: /Edit rule/ });
    await edit.getByLabel("Threshold (ratio)").fill("0.35");
    await edit.getByLabel("Severity").selectOption("critical");
    await edit.getByLabel("Channel").selectOption({ label: "#e2e-costs" });
    await edit.getByRole("button", { name: "Save" }).click();
    const edited = page.getByRole("row").filter({ hasText: "threshold 0.35" });
    await expect(edited).toContainText("critical");
    await expect(edited).toContainText("#e2e-costs");

    await edited.getByRole("button", { name: "Test-send" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test message" })).toContainText("delivered (HTTP 200)");
    expect(slack.bodies).toHaveLength(1);
    expect(slack.bodies[0]).toContain("This is a test of the prompt creep rule");

    // The delivery log shows the attempt: channel, message, attempt number, outcome and HTTP status — never the URL.
    const attemptRow = log.getByRole("row").filter({ hasText: "#e2e-costs" }).first();
    await expect(attemptRow).toContainText(/Test: .*prompt creep/i);
    await expect(attemptRow).toContainText("#1");
    await expect(attemptRow).toContainText("sent");
    await expect(attemptRow).toContainText("200");
    await expect(attemptRow).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    await expect(log.getByText(slack.url)).toHaveCount(0);
    await expect(log.getByText("/services/T0/B0/e2e")).toHaveCount(0);
    await log.getByLabel("Outcome").selectOption("failed");
    await expect(log.getByRole("row").filter({ hasText: "#e2e-costs" })).toHaveCount(0);
    await log.getByLabel("Outcome").selectOption("sent");
    await expect(log.getByRole("row").filter({ hasText: "#e2e-costs" }).first()).toBeVisible();
    await log.screenshot({ path: "test-results/e2e/screens/alerts-delivery-log.png" });

    await edited.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByRole("row").filter({ hasText: "threshold 0.35" })).toContainText("(paused)");
    await page.screenshot({ path: "test-results/e2e/screens/alerts-edit-test-send.png", fullPage: true });

    // Leave the demo as it was: resume the rule, delete the channel (the rule keeps firing into the event list).
    await page.getByRole("row").filter({ hasText: "threshold 0.35" }).getByRole("button", { name: "Resume" }).click();
    await expect(page.getByRole("row").filter({ hasText: "threshold 0.35" })).not.toContainText("(paused)");
    await channelRow.getByRole("button", { name: "Delete" }).click();
    await expect(channelRow).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: "threshold 0.35" })).toContainText("none");
  } finally {
    await slack.close();
  }
});
