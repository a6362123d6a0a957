"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StackedChart } from "../../_charts/prepare-stacked-series.ts";

/** Renders a prepared stacked chart; decides nothing about data (see app/_charts). */
export function StackedBarChart({ chart, yLabel, formatY, formatX, height = 280 }: { chart: StackedChart; yLabel: string; formatY: (v: number) => string; formatX: (v: string) => string; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={chart.rows} margin={{ top: 8, right: 12, left: 12, bottom: 4 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={formatX} fontSize={12} />
        <YAxis tickFormatter={formatY} fontSize={12} width={80} label={{ value: yLabel, angle: -90, position: "insideLeft", fontSize: 12 }} />
        <Tooltip formatter={(v) => formatY(Number(v))} labelFormatter={(l) => formatX(String(l))} />
        <Legend />
        {chart.keys.map((k) => (
          <Bar key={k} dataKey={k} stackId="a" fill={chart.colors[k]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
