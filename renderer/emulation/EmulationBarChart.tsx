/** Bars of one metric (latency or accuracy) per method, grouped by trace. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EmulationTable } from '../../api/search-api.ts';
import { emulationBars } from './emulation-bars.ts';
import type { EmulationMetric } from './emulation-bars.ts';

const COLOURS = ['#3b6fd4', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#1098ad', '#c92a2a', '#5c7cfa'];
const AXIS: Record<EmulationMetric, string> = { latencyMs: 'latency (ms)', accuracy: 'accuracy (%)', reward: 'reward' };

export function EmulationBarChart({ table, metric, testId }: { table: EmulationTable; metric: EmulationMetric; testId: string }) {
  const { rows, methods } = emulationBars(table, metric);
  return (
    <figure className="chart" data-testid={testId} data-groups={rows.length} data-methods={methods.length}>
      <figcaption className="chart-head"><span>Mean {AXIS[metric]} per method and trace</span></figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={rows} margin={{ top: 12, right: 16, bottom: 8, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="trace" />
          <YAxis domain={metric === 'accuracy' ? ['auto', 'auto'] : [0, 'auto']} label={{ value: AXIS[metric], angle: -90, position: 'insideLeft' }} width={64} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Legend verticalAlign="top" height={30} />
          {methods.map((m, i) => <Bar key={m} dataKey={m} name={m} fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />)}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
