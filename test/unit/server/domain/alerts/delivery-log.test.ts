import { describe, expect, it } from "vitest";
import { attemptOutcome, decodeLogCursor, deliverySubject, encodeLogCursor, redactSecret } from "../../../../../server/domain/alerts/delivery-log.ts";

describe("alert delivery log", () => {
  it("maps each delivery decision to the attempt's outcome", () => {
    expect(attemptOutcome({ action: "done" })).toBe("sent");
    expect(attemptOutcome({ action: "retry", atMs: 1, reason: "webhook answered 500" })).toBe("retry");
    expect(attemptOutcome({ action: "dead", reason: "webhook rejected the message (400)" })).toBe("failed");
    expect(attemptOutcome({ action: "disable", reason: "webhook answered 410" })).toBe("failed");
  });

  it("redacts the webhook URL and its secret path from an echoed error body", () => {
    const url = "https://hooks.slack.com/services/T0/B0/SeCrEt";
    expect(redactSecret(`bad request to ${url}`, url)).toBe("bad request to [redacted]");
    expect(redactSecret("no such hook /services/T0/B0/SeCrEt", url)).toBe("no such hook [redacted]");
    expect(redactSecret("invalid_payload", url)).toBe("invalid_payload");
    expect(redactSecret("x", "not a url")).toBe("x");
  });

  it("names what a delivery was about", () => {
    expect(deliverySubject({ kind: "fired", eventId: "e1", eventTitle: "Waste: 62% of $10", ruleName: "waste" })).toBe("Waste: 62% of $10");
    expect(deliverySubject({ kind: "resolved", eventId: "e1", eventTitle: "Waste: 62% of $10", ruleName: "waste" })).toBe("Resolved: Waste: 62% of $10");
    expect(deliverySubject({ kind: "fired", eventId: "e1", eventTitle: null, ruleName: null })).toBe("(event deleted)");
    expect(deliverySubject({ kind: "test", eventId: "test:1", eventTitle: null, ruleName: "budget" })).toBe("Test: budget");
    expect(deliverySubject({ kind: "test", eventId: "test:1", eventTitle: null, ruleName: null })).toBe("Test message");
    expect(deliverySubject({ kind: "digest", eventId: "digest:2026-W48", eventTitle: null, ruleName: null })).toBe("Weekly digest 2026-W48");
  });

  it("round-trips a keyset cursor and rejects a malformed one", () => {
    const cursor = { attemptedAt: new Date("2026-12-01T21:47:31.123Z"), id: "a|b-1" };
    expect(decodeLogCursor(encodeLogCursor(cursor))).toEqual(cursor);
    expect(decodeLogCursor("not-a-cursor")).toBeNull();
    expect(decodeLogCursor(Buffer.from("yesterday|x").toString("base64url"))).toBeNull();
    expect(decodeLogCursor(Buffer.from("2026-12-01T00:00:00Z|").toString("base64url"))).toBeNull();
  });
});
