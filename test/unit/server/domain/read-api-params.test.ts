import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReadApiParams } from "../../../../server/domain/costs/read-api-params.ts";

describe("read API parameters", () => {
  it("accepts a valid query and normalizes groupBy", () => {
    const r = parseReadApiParams(new URLSearchParams("from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&groupBy=feature,day,feature&model=gpt-4o"));
    expect(r).toMatchObject({ ok: true, value: { groupBy: ["feature", "day"], model: "gpt-4o", format: "json" } });
  });

  it("explains what is wrong", () => {
    const msg = (q: string) => { const r = parseReadApiParams(new URLSearchParams(q)); return r.ok ? "" : r.message; };
    expect(msg("to=2026-11-01")).toMatch(/from/);
    expect(msg("from=2026-11-01&to=2026-10-01")).toMatch(/after/);
    expect(msg("from=2020-01-01&to=2026-01-01")).toMatch(/400 days/);
    expect(msg("from=2026-01-01&to=2026-05-01&groupBy=hour")).toMatch(/hour/);
    expect(msg("from=2026-01-01&to=2026-01-02&format=xml")).toMatch(/format/);
  });

  it("fuzz: arbitrary parameter values never throw and never yield an invalid range", () => {
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom("feature,day", "hour", "", "NaN", "-1", "2026-13-45", "1e309"));
    fc.assert(
      fc.property(fc.record({ from: value, to: value, groupBy: value, feature: value, format: value }, { requiredKeys: [] }), (params) => {
        const r = parseReadApiParams(new URLSearchParams(params as Record<string, string>));
        if (r.ok) expect(r.value.to.getTime()).toBeGreaterThan(r.value.from.getTime());
        else expect(r.message.length).toBeGreaterThan(3);
      }),
      { numRuns: 500 },
    );
  });
});
