/**
 * Measured latency against MACC per layer type and kernel, with each group's fitted line
 * and R². Log axes (the default) spread the log-spaced bench sizes; linear ones show the lines straight.
 */
import { useState } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FitGroupDto } from '../../api/calibration-api.ts';
import { formatInt } from '../format.ts';
import { fittedLine, groupColour, groupLabel, logTicks } from './fit-groups.ts';

interface Point { x: number; y: number; caseId: string; macc: number }

const noMarker = () => <g />;
const tick = (v: number) => String(Number(v.toPrecision(3)));

export function FitScatterChart({ fit }: { fit: FitGroupDto[] }) {
  const [log, setLog] = useState(true);
  const series = fit.map((g, i) => ({
    key: groupLabel(g),
    name: `${groupLabel(g)} · R² ${g.r2.toFixed(3)}`,
    colour: groupColour(i),
    // Log axes cannot show 0 MACC or 0 ms.
    points: g.residuals.filter((r) => !log || (r.macc > 0 && r.measuredMs > 0))
      .map((r): Point => ({ x: r.macc / 1e6, y: r.measuredMs, caseId: r.caseId, macc: r.macc })),
    line: fittedLine(g, log),
  }));
  const pointCount = series.reduce((n, s) => n + s.points.length, 0);
  const all = series.flatMap((s) => [...s.points, ...s.line]);
  const xTicks = log ? logTicks(Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))) : undefined;
  const yTicks = log ? logTicks(Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))) : undefined;
  const scale = log ? 'log' : 'linear';
  const linear: [number, 'auto'] = [0, 'auto'];
  const xDomain = xTicks && xTicks.length > 0 ? [xTicks[0], xTicks[xTicks.length - 1]] : linear;
  const yDomain = yTicks && yTicks.length > 0 ? [yTicks[0], yTicks[yTicks.length - 1]] : linear;
  return (
    <figure className="chart wide" data-testid="fit-chart" data-groups={series.length} data-points={pointCount}>
      <figcaption className="chart-head">
        <span>Measured latency against MACC, with the fitted line per group</span>
        <label className="inline"><input type="checkbox" data-testid="fit-log" checked={log} onChange={(e) => setLog(e.target.checked)} /> log axes</label>
      </figcaption>
      <ResponsiveContainer width="100%" height={400}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" name="MACC" scale={scale} domain={xDomain} ticks={xTicks} tickFormatter={tick}
            label={{ value: 'MACC (M)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="y" type="number" name="latency" scale={scale} domain={yDomain} ticks={yTicks} tickFormatter={tick}
            label={{ value: 'latency (ms)', angle: -90, position: 'insideLeft' }} width={64} />
          <Tooltip cursor={{ strokeDasharray: '3 3' }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as Partial<Point> | undefined;
              if (p?.caseId === undefined || p.macc === undefined || p.y === undefined) return null;
              return <div className="tooltip"><code>{p.caseId}</code><br />{formatInt(p.macc)} MACC · {p.y.toFixed(3)} ms</div>;
            }} />
          <Legend verticalAlign="top" height={30} />
          {series.map((s) => (
            <Scatter key={s.key} name={s.name} data={s.points} fill={s.colour} isAnimationActive={false} />
          ))}
          {series.map((s) => (
            <Scatter key={`line-${s.key}`} className="fit-line" data={s.line} line={{ stroke: s.colour, strokeWidth: 2 }} shape={noMarker}
              legendType="none" isAnimationActive={false} tooltipType="none" />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
