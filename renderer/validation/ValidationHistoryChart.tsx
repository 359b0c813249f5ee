/** A device's finished validations over time: share within ±10% and signed bias, so drift shows. */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ValidationStatus } from '../../api/calibration-api.ts';

interface Point { at: string; runId: string; profileId: string; within10: number; bias: number }

export function ValidationHistoryChart({ runs, deviceId }: { runs: ValidationStatus[]; deviceId: string }) {
  const points: Point[] = runs
    .filter((r) => r.deviceId === deviceId && r.status === 'done' && r.report !== null)
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
    .map((r) => ({ at: new Date(r.createdAt).toLocaleString(), runId: r.runId, profileId: r.profileId, within10: (r.report?.within10Pct ?? 0) * 100, bias: r.report?.meanErrorPct ?? 0 }));
  if (points.length === 0) return null;
  return (
    <figure className="chart" data-testid="validation-history" data-device={deviceId} data-points={points.length}>
      <figcaption>{deviceId}: validations over time (within ±10%, and the signed bias)</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 12, right: 24, bottom: 8, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" />
          <YAxis unit="%" width={56} />
          <ReferenceLine y={0} stroke="#1d2330" />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} labelFormatter={(_, p) => { const x = p?.[0]?.payload as Point | undefined; return x === undefined ? '' : `run ${x.runId}, profile ${x.profileId}`; }} />
          <Legend />
          <Line type="monotone" dataKey="within10" name="within ±10%" stroke="#3b6fd4" isAnimationActive={false} />
          <Line type="monotone" dataKey="bias" name="bias (mean signed error)" stroke="#b42318" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
