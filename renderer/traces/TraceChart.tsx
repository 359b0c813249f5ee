/** Throughput over time, with the lower and upper quartiles (the paper's K = 2 levels). */
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TraceDetail } from '../../api/studio-api.ts';
import { formatMbps } from '../format.ts';

export function TraceChart({ trace }: { trace: TraceDetail }) {
  const data = trace.series.tS.map((t, i) => ({ t, mbps: trace.series.mbps[i] }));
  return (
    <figure className="chart wide" data-testid="trace-chart" data-points={data.length}>
      <figcaption>{trace.name}: throughput over time</figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={data} margin={{ top: 12, right: 130, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => v.toFixed(0)}
            label={{ value: 'time (s)', position: 'insideBottom', offset: -12 }} />
          <YAxis label={{ value: 'Mbit/s', angle: -90, position: 'insideLeft' }} width={56} />
          <Tooltip formatter={(v) => [`${formatMbps(Number(v))} Mbit/s`, 'throughput']} labelFormatter={(l) => `t = ${Number(l).toFixed(1)} s`} />
          <Line type="stepAfter" dataKey="mbps" stroke="#3b6fd4" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          <ReferenceLine y={trace.p25Mbps} stroke="#c0392b" strokeDasharray="6 4" ifOverflow="extendDomain"
            label={{ value: `p25 ${formatMbps(trace.p25Mbps)} Mbit/s`, position: 'right', fill: '#c0392b', fontSize: 12 }} />
          <ReferenceLine y={trace.p75Mbps} stroke="#1e8449" strokeDasharray="6 4" ifOverflow="extendDomain"
            label={{ value: `p75 ${formatMbps(trace.p75Mbps)} Mbit/s`, position: 'right', fill: '#1e8449', fontSize: 12 }} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
