"use client";
import { Line, LineChart, ResponsiveContainer } from "recharts";

/** A tiny trend line (no axes): the row's daily spend in USD over the selected period. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  return (
    <div style={{ width: 120, height: 28 }} role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={values.map((v, i) => ({ i, v }))}>
          <Line type="monotone" dataKey="v" stroke="#1f5fbf" dot={false} strokeWidth={1.5} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
