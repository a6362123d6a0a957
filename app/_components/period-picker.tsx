"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { isPeriodPreset, PERIOD_PRESETS, type PeriodPreset } from "~/server/domain/costs/period.ts";

/** The period lives in the URL (?period=7d) so views are shareable and survive reloads. */
export function usePeriod(): PeriodPreset {
  const value = useSearchParams().get("period");
  return isPeriodPreset(value) ? value : "30d";
}

export function PeriodPicker() {
  const period = usePeriod();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <div className="period-picker" role="group" aria-label="Period">
      {PERIOD_PRESETS.map((p) => (
        <button
          key={p}
          type="button"
          aria-pressed={p === period}
          className={p === period ? "active" : undefined}
          onClick={() => {
            const next = new URLSearchParams(params);
            next.set("period", p);
            router.replace(`${pathname}?${next.toString()}`);
          }}
        >
          {p}
        </button>
      ))}
      <span className="muted tz">times in UTC</span>
    </div>
  );
}
