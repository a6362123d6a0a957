/**
 * Nelder–Mead simplex minimization of `f` from `start` (standard reflection 1, expansion 2, contraction ½,
 * shrink ½), at most `iterations` steps. Deterministic; for the handful of efficiency factors a fit moves.
 */
export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], opts: { step: number; iterations: number; tolerance?: number }): number[] {
  const n = start.length;
  let simplex = [start.slice(), ...start.map((_, i) => start.map((v, j) => (i === j ? v + opts.step : v)))].map((x) => ({ x, f: f(x) }));
  const tol = opts.tolerance ?? 1e-9;
  for (let iter = 0; iter < opts.iterations; iter++) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.f - best.f) < tol) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j]!, 0) / n);
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst.x[j]! - c));
    const r = along(-1);
    const fr = f(r);
    if (fr < best.f) {
      const e = along(-2);
      const fe = f(e);
      simplex[n] = fe < fr ? { x: e, f: fe } : { x: r, f: fr };
    } else if (fr < simplex[n - 1]!.f) {
      simplex[n] = { x: r, f: fr };
    } else {
      const c = along(fr < worst.f ? -0.5 : 0.5);
      const fc = f(c);
      if (fc < Math.min(fr, worst.f)) simplex[n] = { x: c, f: fc };
      else simplex = simplex.map((p) => (p === best ? p : { x: p.x.map((v, j) => best.x[j]! + 0.5 * (v - best.x[j]!)), f: NaN })).map((p) => (Number.isNaN(p.f) ? { x: p.x, f: f(p.x) } : p));
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return simplex[0]!.x;
}
