/**
 * PostgreSQL text cannot hold U+0000: one NUL in any stored string failed the whole batch's transaction (22021), so
 * the collector answered 503 to every request in that batch — other tenants' too — and the sender retried forever.
 * Decoders pass every string they keep through here; NUL becomes U+FFFD and the rest of the span is kept.
 */
export function storableText(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
}

/** A kept attribute value: storable, cut at `maxChars`. */
export function storableValue(s: string, maxChars: number): string {
  return storableText(s.length > maxChars ? s.slice(0, maxChars) : s);
}
