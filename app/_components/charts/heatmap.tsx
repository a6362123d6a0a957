/** Day × hour-of-day grid of a 0–1 ratio (GPU utilization); empty cells mean no samples (not 0%). */
export function UtilizationHeatmap({ cells }: { cells: { hour: string; utilization: number; energyKwh?: number | null }[] }) {
  const byDay = new Map<string, (number | null)[]>();
  const energy = new Map(cells.map((c) => [c.hour.slice(0, 13), c.energyKwh ?? null]));
  for (const c of cells) {
    const d = new Date(c.hour);
    const day = c.hour.slice(0, 10);
    const row = byDay.get(day) ?? Array<number | null>(24).fill(null);
    row[d.getUTCHours()] = c.utilization;
    byDay.set(day, row);
  }
  const days = [...byDay.keys()].sort();
  return (
    <div className="heatmap" role="table" aria-label="GPU utilization by day and UTC hour">
      <div className="heatmap-row" role="row">
        <span className="heatmap-label" role="columnheader">UTC hour →</span>
        {Array.from({ length: 24 }, (_, h) => <span key={h} className="heatmap-head" role="columnheader">{h % 6 === 0 ? h : ""}</span>)}
      </div>
      {days.map((day) => (
        <div className="heatmap-row" role="row" key={day}>
          <span className="heatmap-label" role="rowheader">{day.slice(5)}</span>
          {byDay.get(day)!.map((u, h) => (
            <span
              key={h}
              role="cell"
              className="heatmap-cell"
              title={u === null ? `${day} ${h}:00 — no samples` : `${day} ${h}:00 — ${(u * 100).toFixed(0)}% busy${kwhLabel(energy.get(`${day}T${String(h).padStart(2, "0")}`))}`}
              style={{ background: u === null ? "transparent" : `rgba(31, 95, 191, ${0.08 + u * 0.92})`, border: u === null ? "1px dashed #d8dde4" : undefined }}
            />
          ))}
        </div>
      ))}
      <p className="muted">Darker = busier (mean GPU engine-active ratio in the hour); dashed = no samples, no cost.</p>
    </div>
  );
}

function kwhLabel(kwh: number | null | undefined): string {
  return kwh === null || kwh === undefined ? "" : `, ${kwh.toFixed(2)} kWh`;
}
