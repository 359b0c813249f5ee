/** Measured latency against MACC per layer type and kernel, with each group's fitted line and R². */
import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FitGroupDto } from '../../api/calibration-api.ts';
import { formatInt } from '../format.ts';
import { fittedSegment, groupColour, groupLabel } from './fit-groups.ts';

interface Point { x: number; y: number; caseId: string; macc: number }

export function FitScatterChart({ fit }: { fit: FitGroupDto[] }) {
  const series = fit.map((g, i) => ({
    key: groupLabel(g),
    name: `${groupLabel(g)} · R² ${g.r2.toFixed(3)}`,
    colour: groupColour(i),
    points: g.residuals.map((r): Point => ({ x: r.macc / 1e6, y: r.measuredMs, caseId: r.caseId, macc: r.macc })),
    segment: fittedSegment(g),
  }));
  const pointCount = series.reduce((n, s) => n + s.points.length, 0);
  return (
    <figure className="chart wide" data-testid="fit-chart" data-groups={series.length} data-points={pointCount}>
      <figcaption>Measured latency against MACC, with the fitted line per group</figcaption>
      <ResponsiveContainer width="100%" height={380}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" name="MACC" domain={[0, 'auto']} tickFormatter={(v: number) => String(Number(v.toPrecision(3)))}
            label={{ value: 'MACC (M)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="y" type="number" name="latency" domain={[0, 'auto']} tickFormatter={(v: number) => String(Number(v.toPrecision(3)))}
            label={{ value: 'latency (ms)', angle: -90, position: 'insideLeft' }} width={64} />
          <Tooltip cursor={{ strokeDasharray: '3 3' }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as Point | undefined;
              if (p === undefined) return null;
              return <div className="tooltip"><code>{p.caseId}</code><br />{formatInt(p.macc)} MACC · {p.y.toFixed(3)} ms</div>;
            }} />
          <Legend verticalAlign="top" height={30} />
          {series.map((s) => (
            <Scatter key={s.key} name={s.name} data={s.points} fill={s.colour} isAnimationActive={false} />
          ))}
          {series.map((s) => s.segment && (
            <ReferenceLine key={`line-${s.key}`} segment={s.segment} stroke={s.colour} strokeWidth={2} ifOverflow="extendDomain" />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
