/** MACC saved (x) against accuracy lost (y): a series per technique, a point per layer it was applied to. */
import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { SweepRow } from '../../api/accuracy-api.ts';
import { formatInt } from '../format.ts';
import { sweepSeries } from './sweep-series.ts';
import type { SweepPoint } from './sweep-series.ts';

const tick = (v: number) => String(Number(v.toPrecision(3)));

export function SweepChart({ rows, images }: { rows: SweepRow[]; images: number }) {
  const series = sweepSeries(rows);
  return (
    <figure className="chart wide" data-testid="sweep-chart" data-points={rows.length} data-series={series.length}>
      <figcaption>MACC saved against accuracy lost ({formatInt(images)} validation images), per technique and layer</figcaption>
      <ResponsiveContainer width="100%" height={360}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" name="MACC saved" domain={[0, 'auto']} tickFormatter={tick}
            label={{ value: 'MACC saved (M)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="y" type="number" name="accuracy lost" tickFormatter={tick}
            label={{ value: 'accuracy lost (points)', angle: -90, position: 'insideLeft' }} width={64} />
          <ReferenceLine y={0} stroke="#98a2b3" />
          <Tooltip cursor={{ strokeDasharray: '3 3' }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as Partial<SweepPoint> | undefined;
              const r = p?.row;
              if (r === undefined) return null;
              return (
                <div className="tooltip" data-testid="sweep-tooltip">
                  <strong>{r.technique} on {r.layerId}</strong> (layer {r.layerIndex})<br />
                  MACC {formatInt(r.maccBefore)} → {formatInt(r.maccAfter)} ({(100 * r.maccSaved / r.maccBefore).toFixed(1)}% saved)<br />
                  accuracy {(100 * r.accuracy).toFixed(2)}% ({(100 * r.accuracyLost).toFixed(2)} points lost)
                </div>
              );
            }} />
          <Legend verticalAlign="top" height={30} />
          {series.map((s) => (
            <Scatter key={s.technique} name={s.name} data={s.points} fill={s.colour} isAnimationActive={false} className={`sweep-${s.technique}`} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
