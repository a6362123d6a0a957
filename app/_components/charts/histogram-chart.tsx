"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type HistogramBar = { label: string; [series: string]: string | number };

/** Stacked count histogram (e.g. tasks per cost bucket by outcome); labels come prepared. */
export function HistogramChart({ bars, series, xLabel, yLabel, height = 240 }: { bars: HistogramBar[]; series: { key: string; color: string; name: string }[]; xLabel: string; yLabel: string; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={bars} margin={{ top: 8, right: 12, left: 12, bottom: 24 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" fontSize={11} interval={0} angle={-20} textAnchor="end" height={50} label={{ value: xLabel, position: "insideBottom", offset: -16, fontSize: 12 }} />
        <YAxis allowDecimals={false} fontSize={12} width={60} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }} />
        <Tooltip />
        <Legend verticalAlign="top" />
        {series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.name} stackId="a" fill={s.color} isAnimationActive={false} />)}
      </BarChart>
    </ResponsiveContainer>
  );
}
