import type { Finding } from "./rules.ts";

export type OpenEvent = { id: string; dedupeKey: string };
export type RecentEvent = { dedupeKey: string; resolvedAtMs: number };

export type Transition =
  | { action: "open"; finding: Finding }
  | { action: "update"; eventId: string; finding: Finding }
  | { action: "resolve"; eventId: string };

/**
 * Compares this evaluation's findings with the rule's open events: new subjects open an event (unless one for the
 * same subject resolved within the cooldown), still-firing ones are updated, cleared ones resolve.
 */
export function transitions(input: { findings: Finding[]; open: OpenEvent[]; recentlyResolved: RecentEvent[]; cooldownMinutes: number; nowMs: number }): Transition[] {
  const out: Transition[] = [];
  const openByKey = new Map(input.open.map((e) => [e.dedupeKey, e]));
  const firing = new Set<string>();
  for (const f of input.findings) {
    firing.add(f.dedupeKey);
    const open = openByKey.get(f.dedupeKey);
    if (open) {
      out.push({ action: "update", eventId: open.id, finding: f });
      continue;
    }
    const cooling = input.recentlyResolved.some((r) => r.dedupeKey === f.dedupeKey && input.nowMs - r.resolvedAtMs < input.cooldownMinutes * 60_000);
    if (!cooling) out.push({ action: "open", finding: f });
  }
  for (const e of input.open) if (!firing.has(e.dedupeKey)) out.push({ action: "resolve", eventId: e.id });
  return out;
}
