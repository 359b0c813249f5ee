/** Bytes crossing each possible cut (c = 0: the input is sent), in KiB or MiB. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LayerRow } from '../../api/studio-api.ts';
import { byteAxisUnit, formatBytes } from '../format.ts';

export function CutBytesChart({ cutBytes, layers }: { cutBytes: number[]; layers: LayerRow[] }) {
  const { unit, divisor } = byteAxisUnit(Math.max(0, ...cutBytes));
  const data = cutBytes.map((bytes, c) => ({
    cut: c,
    label: c === 0 ? 'cut 0: send the input' : `cut ${c}: after ${layers[c - 1]?.id ?? `layer ${c - 1}`}`,
    value: bytes / divisor,
    bytes,
  }));
  return (
    <figure className="chart" data-testid="cut-chart" data-points={data.length}>
      <figcaption>Bytes crossing each cut (float32)</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="cut" label={{ value: 'cut (layers on the device)', position: 'insideBottom', offset: -12 }} interval="preserveStartEnd" />
          <YAxis label={{ value: unit, angle: -90, position: 'insideLeft', offset: 0 }} tickFormatter={(v: number) => (v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1))} width={56} />
          <Tooltip formatter={(_v, _n, item) => [formatBytes((item.payload as { bytes: number }).bytes), 'sent']} labelFormatter={(_l, p) => String((p[0]?.payload as { label?: string } | undefined)?.label ?? '')} />
          <Bar dataKey="value" fill="#d4823b" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
