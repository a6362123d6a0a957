import { describe, expect, it } from "vitest";
import { InsertModePolicy } from "../../../../../server/domain/ingest/insert-mode-policy.ts";

describe("InsertModePolicy", () => {
  it("inserts fresh until a conflict, then deduplicates for the next N batches, then tries fresh again", () => {
    const policy = new InsertModePolicy(3);
    expect([policy.next(), policy.next()]).toEqual(["fresh", "fresh"]);
    policy.conflicted();
    expect([policy.next(), policy.next(), policy.next(), policy.next()]).toEqual(["dedupe", "dedupe", "dedupe", "fresh"]);
  });

  it("a conflict during the dedupe stretch starts it over", () => {
    const policy = new InsertModePolicy(2);
    policy.conflicted();
    expect(policy.next()).toBe("dedupe");
    policy.conflicted();
    expect([policy.next(), policy.next(), policy.next()]).toEqual(["dedupe", "dedupe", "fresh"]);
  });
});
