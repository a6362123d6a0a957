/**
 * Whether the next span batch is inserted `fresh` (no ON CONFLICT: cheaper, fails if any span was stored before)
 * or `dedupe` (ON CONFLICT DO NOTHING), see insert-spans.ts. Re-sent spans are rare, so batches start fresh; a
 * conflict costs that batch one rolled-back attempt. After a conflict the next `dedupeBatchesAfterConflict` batches
 * go straight to dedupe, so a client that keeps re-sending wastes at most one attempt per that many batches.
 */
export class InsertModePolicy {
  private dedupeLeft = 0;

  constructor(private readonly dedupeBatchesAfterConflict = 32) {}

  next(): "fresh" | "dedupe" {
    if (this.dedupeLeft === 0) return "fresh";
    this.dedupeLeft--;
    return "dedupe";
  }

  /** A fresh attempt met a stored span. */
  conflicted(): void {
    this.dedupeLeft = this.dedupeBatchesAfterConflict;
  }
}
