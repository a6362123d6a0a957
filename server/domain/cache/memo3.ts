/**
 * A bounded memo keyed by three values (nulls allowed) through nested maps: no key string is built per lookup,
 * which matters on per-span paths. When full it starts over (keys can come from client data, so it must be bounded).
 */
export class Memo3<A, B, C, V> {
  private root = new Map<A, Map<B, Map<C, V>>>();
  private entries = 0;

  constructor(private readonly maxEntries: number) {}

  /** undefined: not memoized (store null for "known to have no value"). */
  get(a: A, b: B, c: C): V | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }

  set(a: A, b: B, c: C, value: V): void {
    if (this.entries >= this.maxEntries) this.clear();
    let byB = this.root.get(a);
    if (!byB) this.root.set(a, (byB = new Map()));
    let byC = byB.get(b);
    if (!byC) byB.set(b, (byC = new Map()));
    if (!byC.has(c)) this.entries++;
    byC.set(c, value);
  }

  clear(): void {
    this.root = new Map();
    this.entries = 0;
  }
}
