/** Bar chart of MACC per layer, in millions. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LayerRow } from '../../api/studio-api.ts';
import { formatInt } from '../format.ts';

export function MaccChart({ layers }: { layers: LayerRow[] }) {
  const data = layers.map((l) => ({ index: l.index, label: `${l.index} ${l.id}`, maccM: l.macc / 1e6, macc: l.macc }));
  return (
    <figure className="chart" data-testid="macc-chart" data-points={data.length}>
      <figcaption>MACC per layer</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="index" label={{ value: 'layer index', position: 'insideBottom', offset: -12 }} interval="preserveStartEnd" />
          <YAxis label={{ value: 'MACC (M)', angle: -90, position: 'insideLeft', offset: 0 }} tickFormatter={(v: number) => v.toFixed(0)} width={56} />
          <Tooltip formatter={(_v, _n, item) => [formatInt((item.payload as { macc: number }).macc), 'MACC']} labelFormatter={(_l, p) => String((p[0]?.payload as { label?: string } | undefined)?.label ?? '')} />
          <Bar dataKey="maccM" fill="#3b6fd4" isAnimationActive={false} minPointSize={0} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
