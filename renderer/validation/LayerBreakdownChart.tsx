/** One model's layers: measured and estimated latency side by side. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ValidationModelRow } from '../../api/calibration-api.ts';

export function LayerBreakdownChart({ model }: { model: ValidationModelRow }) {
  const data = model.layers.map((l) => ({ index: l.index, label: `${l.index} ${l.id} (${l.type})`, measured: l.measuredMs, estimated: l.estimatedMs }));
  return (
    <figure className="chart" data-testid="layer-breakdown" data-model={model.name} data-points={data.length}>
      <figcaption>{model.name}: measured and estimated latency per layer</figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="index" label={{ value: 'layer index', position: 'insideBottom', offset: -12 }} interval="preserveStartEnd" />
          <YAxis label={{ value: 'ms', angle: -90, position: 'insideLeft' }} tickFormatter={(v: number) => String(Number(v.toPrecision(3)))} width={56} />
          <Tooltip formatter={(v, n) => [`${Number(v).toFixed(3)} ms`, String(n)]} labelFormatter={(_l, p) => String((p[0]?.payload as { label?: string } | undefined)?.label ?? '')} />
          <Legend verticalAlign="top" height={28} />
          <Bar dataKey="measured" fill="#3b6fd4" isAnimationActive={false} />
          <Bar dataKey="estimated" fill="#e67e22" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
