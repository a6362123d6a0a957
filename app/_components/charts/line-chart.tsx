"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type LineSeries = { key: string; label: string; color: string };

/** Renders prepared rows; missing values are gaps (null), never zero. */
export function SimpleLineChart({ rows, series, yLabel, formatY, formatX, height = 220 }: { rows: Record<string, string | number | null>[]; series: LineSeries[]; yLabel: string; formatY: (v: number) => string; formatX: (v: string) => string; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={rows} margin={{ top: 8, right: 12, left: 12, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={formatX} fontSize={12} />
        <YAxis tickFormatter={formatY} fontSize={12} width={90} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }} />
        <Tooltip formatter={(v) => formatY(Number(v))} labelFormatter={(l) => formatX(String(l))} />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} dot={false} connectNulls={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
