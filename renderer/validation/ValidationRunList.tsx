/** Past validation runs with their headline figures; click one to show its report, tick another to compare with it. */
import type { ValidationStatus } from '../../api/calibration-api.ts';

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
}

export function ValidationRunList({ runs, selected, onSelect, compared, onCompare }: {
  runs: ValidationStatus[]; selected: string | null; onSelect: (run: ValidationStatus) => void;
  compared: string | null; onCompare: (run: ValidationStatus | null) => void;
}) {
  if (runs.length === 0) return <p className="empty" data-testid="validation-runs-empty">No validation runs yet.</p>;
  return (
    <div className="table-wrap">
      <table className="run-list" data-testid="validation-runs">
        <thead>
          <tr><th>run</th><th>device</th><th>profile</th><th>status</th><th className="num">models</th><th className="num">within ±10%</th><th className="num">bias %</th><th className="num">MAPE %</th><th>started</th><th>compare</th><th>message</th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} className={r.runId === selected ? 'selected' : ''} data-run-id={r.runId} tabIndex={0}
              onClick={() => onSelect(r)} onKeyDown={(e) => { if (e.key === 'Enter') onSelect(r); }}>
              <td><code>{r.runId}</code></td>
              <td>{r.deviceId}</td>
              <td><code>{r.profileId}</code></td>
              <td><span className={`job-status job-${r.status}`}>{r.status}</span></td>
              <td className="num">{r.done} / {r.total}</td>
              <td className="num">{r.report ? pct(r.report.within10Pct) : '—'}</td>
              <td className="num">{r.report ? signed(r.report.meanErrorPct) : '—'}</td>
              <td className="num">{r.report ? r.report.mapePct.toFixed(1) : '—'}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td onClick={(e) => e.stopPropagation()}>
                {r.report !== null && r.runId !== selected && (
                  <input type="checkbox" data-testid={`compare-${r.runId}`} aria-label={`compare with run ${r.runId}`} checked={r.runId === compared}
                    onChange={(e) => onCompare(e.target.checked ? r : null)} />
                )}
              </td>
              <td className="cell-message">{r.error ? `${r.error.name}: ${r.error.message}` : r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
