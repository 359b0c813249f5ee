/** Reward per episode of each followed search run on one trace (paper Fig. 7); methods without episodes as level lines. */
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurveSeries } from './curve-series.ts';
import { curveRows } from './curve-series.ts';

const COLOURS = ['#3b6fd4', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#1098ad', '#c92a2a', '#5c7cfa'];

export function RewardCurveChart({ series }: { series: CurveSeries[] }) {
  const [best, setBest] = useState(false);
  const rows = curveRows(series, best);
  const drawn = series.filter((s) => s.points.length > 0);
  const levels = series.filter((s) => s.level !== null);
  return (
    <figure className="chart wide" data-testid="reward-curves" data-series={drawn.length} data-episodes={rows.length}>
      <figcaption className="chart-head">
        <span>Reward over episodes (boosting branches first, then the tree)</span>
        <label className="inline"><input type="checkbox" data-testid="curve-best" checked={best} onChange={(e) => setBest(e.target.checked)} /> best so far</label>
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={rows} margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="episode" type="number" domain={[1, 'dataMax']} allowDecimals={false} label={{ value: 'episode', position: 'insideBottom', offset: -14 }} />
          <YAxis domain={['auto', 'auto']} label={{ value: 'reward', angle: -90, position: 'insideLeft' }} width={64} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Legend verticalAlign="top" height={30} />
          {series.map((s, i) => (s.points.length > 0
            ? <Line key={s.key} dataKey={s.key} name={s.label} stroke={COLOURS[i % COLOURS.length]} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls />
            : null))}
          {levels.map((s) => (
            <ReferenceLine key={s.key} y={s.level as number} stroke={COLOURS[series.indexOf(s) % COLOURS.length]} strokeDasharray="6 4"
              label={{ value: `${s.label} ${(s.level as number).toFixed(1)}`, position: 'insideTopRight', fontSize: 11 }} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
