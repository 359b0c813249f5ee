/** Measured against estimated latency per inference, a series per configuration, with the line where they are equal. */
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FieldMethodReport } from '../../api/field-test-api.ts';
import { estimatePoints } from './field-timeline.ts';
import type { EstimatePoint } from './field-timeline.ts';

const COLOURS: Record<string, string> = { tree: '#3b6fd4', branch: '#e8590c', surgery: '#2f9e44' };
const noMarker = () => <g />;

export function EstimateChart({ methods }: { methods: FieldMethodReport[] }) {
  const series = estimatePoints(methods);
  const all = series.flatMap((s) => s.points);
  const top = Math.max(1, ...all.flatMap((p) => [p.estimatedMs, p.measuredMs]));
  const equal = [{ estimatedMs: 0, measuredMs: 0 }, { estimatedMs: top, measuredMs: top }];
  return (
    <figure className="chart" data-testid="field-estimate-chart" data-points={all.length} data-series={series.length}>
      <figcaption className="chart-head"><span>Measured against estimated latency per inference (on the line: as estimated)</span></figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ScatterChart margin={{ top: 12, right: 24, bottom: 28, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="estimatedMs" type="number" name="estimated" domain={[0, 'auto']} label={{ value: 'estimated (ms)', position: 'insideBottom', offset: -14 }} />
          <YAxis dataKey="measuredMs" type="number" name="measured" domain={[0, 'auto']} label={{ value: 'measured (ms)', angle: -90, position: 'insideLeft' }} width={64} />
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
