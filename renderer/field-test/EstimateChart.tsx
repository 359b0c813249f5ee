/**
 * Measured against estimated latency per inference, a series per configuration, with the
 * line where they are equal. Log axes (the default) keep a configuration estimated at
 * seconds from squashing one measured in milliseconds; linear on request.
 */
import { useState } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FieldMethodReport } from '../../api/field-test-api.ts';
import { logTicks } from '../calibrate/fit-groups.ts';
import { estimatePoints } from './field-timeline.ts';
import type { EstimatePoint } from './field-timeline.ts';

const COLOURS: Record<string, string> = { tree: '#3b6fd4', branch: '#e8590c', surgery: '#2f9e44' };
const noMarker = () => <g />;
const tick = (v: number) => String(Number(v.toPrecision(3)));

export function EstimateChart({ methods }: { methods: FieldMethodReport[] }) {
  const [log, setLog] = useState(true);
  const series = estimatePoints(methods);
  const all = series.flatMap((s) => s.points);
  const values = all.flatMap((p) => [p.estimatedMs, p.measuredMs]);
  const top = Math.max(1, ...values);
  // A log axis cannot hold 0: the equal line then starts at the smallest value shown.
  const bottom = log ? Math.min(top, ...values.filter((v) => v > 0)) : 0;
  const equal = [{ estimatedMs: bottom, measuredMs: bottom }, { estimatedMs: top, measuredMs: top }];
  const scale = log ? 'log' : 'linear';
  // One 1-2-5 tick set for both axes, so the equal line is the diagonal.
  const ticks = log ? logTicks(bottom, top) : undefined;
  const domain: [number | 'auto', number | 'auto'] = ticks && ticks.length > 0 ? [ticks[0], ticks[ticks.length - 1]] : [0, 'auto'];
  return (
    <figure className="chart" data-testid="field-estimate-chart" data-points={all.length} data-series={series.length}>
      <figcaption className="chart-head">
        <span>Measured against estimated latency per inference (on the line: as estimated)</span>
        <label className="inline"><input type="checkbox" data-testid="field-estimate-log" checked={log} onChange={(e) => setLog(e.target.checked)} /> log axes</label>
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="estimatedMs" type="number" name="estimated" scale={scale} domain={domain} ticks={ticks} tickFormatter={tick} label={{ value: 'estimated (ms)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="measuredMs" type="number" name="measured" scale={scale} domain={domain} ticks={ticks} tickFormatter={tick} label={{ value: 'measured (ms)', angle: -90, position: 'insideLeft' }} width={64} />
          <Tooltip content={({ payload }) => {
            const p = payload?.[0]?.payload as Partial<EstimatePoint> | undefined;
            if (p?.method === undefined || p.estimatedMs === undefined || p.measuredMs === undefined) return null;
            return <div className="tooltip">{p.method} inference {p.n}: measured {p.measuredMs.toFixed(2)} ms, estimated {p.estimatedMs.toFixed(2)} ms</div>;
          }} />
          <Legend verticalAlign="top" height={30} />
          {series.map((s) => <Scatter key={s.method} name={s.method} data={s.points} fill={COLOURS[s.method]} isAnimationActive={false} />)}
          <Scatter data={equal} line={{ stroke: '#868e96', strokeDasharray: '4 4' }} shape={noMarker} legendType="none" tooltipType="none" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
