/** Stored traces with their statistics; click a row to chart it. */
import type { TraceSummary } from '../../api/studio-api.ts';
import { formatMbps, formatSeconds } from '../format.ts';

export function TraceList({ traces, selected, onSelect }: { traces: TraceSummary[]; selected: string | null; onSelect: (id: string) => void }) {
  if (traces.length === 0) return <p className="empty" data-testid="trace-list-empty">No traces stored yet: import one above.</p>;
  return (
    <div className="table-wrap">
      <table className="trace-list" data-testid="trace-list">
        <thead>
          <tr>
            <th>name</th><th>format</th><th className="num">samples</th><th className="num">duration</th>
            <th className="num">mean Mbit/s</th><th className="num">p25 Mbit/s</th><th className="num">p75 Mbit/s</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.id} className={t.id === selected ? 'selected' : ''} onClick={() => onSelect(t.id)} data-trace-id={t.id} tabIndex={0}
              onKeyDown={(e) => { if (e.key === 'Enter') onSelect(t.id); }}>
              <td>{t.name}</td><td>{t.format}</td><td className="num">{t.samples}</td><td className="num">{formatSeconds(t.durationS)}</td>
              <td className="num">{formatMbps(t.meanMbps)}</td><td className="num">{formatMbps(t.p25Mbps)}</td><td className="num">{formatMbps(t.p75Mbps)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
