/** Estimated against measured latency per model, with the y = x line and the ±10% band. */
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ValidationModelRow } from '../../api/calibration-api.ts';

interface Point { x: number; y: number; name: string; errorPct: number }

export function ValidationChart({ models, onSelect }: { models: ValidationModelRow[]; onSelect: (name: string) => void }) {
  const inside: Point[] = [];
  const outside: Point[] = [];
  for (const m of models) (Math.abs(m.errorPct) <= 10 ? inside : outside).push({ x: m.measuredMs, y: m.estimatedMs, name: m.name, errorPct: m.errorPct });
  const top = Math.max(1e-3, ...models.map((m) => Math.max(m.measuredMs, m.estimatedMs))) * 1.12;
  const tick = (v: number) => String(Number(v.toPrecision(3)));
  const select = (p: unknown) => { const name = (p as { payload?: Point }).payload?.name; if (name !== undefined) onSelect(name); };
  return (
    <figure className="chart" data-testid="validation-chart" data-points={models.length}>
      <figcaption>Estimated against measured, per model (band: ±10%)</figcaption>
      <ResponsiveContainer width="100%" height={360}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" name="measured" domain={[0, top]} tickFormatter={tick} label={{ value: 'measured (ms)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="y" type="number" name="estimated" domain={[0, top]} tickFormatter={tick} label={{ value: 'estimated (ms)', angle: -90, position: 'insideLeft' }} width={64} />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: top / 1.1, y: top }]} stroke="#b0b8c8" strokeDasharray="5 4" />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: top, y: top * 0.9 }]} stroke="#b0b8c8" strokeDasharray="5 4" />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: top, y: top }]} stroke="#1d2330" />
          <Tooltip content={({ payload }) => {
            const p = payload?.[0]?.payload as Point | undefined;
            if (p === undefined) return null;
            return <div className="tooltip"><strong>{p.name}</strong><br />measured {p.x.toFixed(2)} ms · estimated {p.y.toFixed(2)} ms<br />error {p.errorPct.toFixed(1)}%</div>;
          }} />
          <Scatter name="within ±10%" data={inside} fill="#3b6fd4" isAnimationActive={false} onClick={select} cursor="pointer" />
          <Scatter name="beyond ±10%" data={outside} fill="#b42318" isAnimationActive={false} onClick={select} cursor="pointer" />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
