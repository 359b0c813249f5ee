/**
 * One configuration's inferences in order: edge, transfer and cloud time stacked per
 * inference, the link's shaped rate as a line over them, the branch taken in the tooltip.
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FieldMethodReport } from '../../api/field-test-api.ts';
import { timelineRows } from './field-timeline.ts';
import type { TimelineRow } from './field-timeline.ts';

function TimelineTooltip({ row }: { row: TimelineRow }) {
  return (
    <div className="tooltip" data-testid="field-timeline-tooltip">
      <strong>inference {row.n}</strong>: branch <code>{row.branch}</code>, {row.cut === null ? 'all on the device' : `cut at ${row.cut}`}{row.fallback && ', finished on the device after a cloud failure'}<br />
      link {row.linkMbps.toFixed(2)} Mbit/s (seen {row.seenMbps.toFixed(2)})<br />
      edge {row.edgeMs.toFixed(2)} + transfer {row.transferMs.toFixed(2)} + cloud {row.cloudMs.toFixed(2)} ms<br />
      measured {row.measuredMs.toFixed(2)} ms{row.estimatedMs !== null && <> against {row.estimatedMs.toFixed(2)} estimated</>}{row.correct ? '' : ', wrong class'}
    </div>
  );
}

export function FieldTimelineChart({ report }: { report: FieldMethodReport }) {
  const rows = timelineRows(report);
  return (
    <figure className="chart wide" data-testid="field-timeline-chart" data-method={report.method} data-points={rows.length}>
      <figcaption className="chart-head"><span>{report.method}: latency per inference (stacked) and the link rate under it</span></figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart data={rows} margin={{ top: 12, right: 16, bottom: 20, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="n" label={{ value: 'inference', position: 'insideBottom', offset: -10 }} />
          <YAxis yAxisId="ms" domain={[0, 'auto']} label={{ value: 'latency (ms)', angle: -90, position: 'insideLeft' }} width={64} />
          <YAxis yAxisId="mbps" orientation="right" domain={[0, 'auto']} label={{ value: 'link (Mbit/s)', angle: 90, position: 'insideRight' }} width={64} />
          <Tooltip content={({ payload }) => {
            const row = payload?.[0]?.payload as TimelineRow | undefined;
            return row === undefined ? null : <TimelineTooltip row={row} />;
          }} />
          {/* In drawing order (edge at the bottom), not sorted by name. */}
          <Legend verticalAlign="top" height={30} itemSorter={null} />
          <Bar yAxisId="ms" dataKey="edgeMs" name="edge" stackId="ms" fill="#3b6fd4" isAnimationActive={false} />
          <Bar yAxisId="ms" dataKey="transferMs" name="transfer" stackId="ms" fill="#f08c00" isAnimationActive={false} />
          <Bar yAxisId="ms" dataKey="cloudMs" name="cloud" stackId="ms" fill="#2f9e44" isAnimationActive={false} />
          <Line yAxisId="mbps" dataKey="linkMbps" name="link Mbit/s" type="stepAfter" stroke="#c92a2a" dot={{ r: 3 }} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
