/** Past calibration runs; click one to see its progress or its profile. */
import type { JobProgress } from '../../api/calibration-api.ts';

export function CalibrationRunList({ runs, selected, onSelect }: { runs: JobProgress[]; selected: string | null; onSelect: (runId: string) => void }) {
  if (runs.length === 0) return <p className="empty" data-testid="calibration-runs-empty">No calibration runs yet.</p>;
  return (
    <div className="table-wrap">
      <table className="run-list" data-testid="calibration-runs">
        <thead>
          <tr><th>run</th><th>device</th><th>status</th><th className="num">cases</th><th>started</th><th>message</th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} className={r.runId === selected ? 'selected' : ''} data-run-id={r.runId} tabIndex={0}
              onClick={() => onSelect(r.runId)} onKeyDown={(e) => { if (e.key === 'Enter') onSelect(r.runId); }}>
              <td><code>{r.runId}</code></td>
              <td>{r.deviceId}</td>
              <td><span className={`job-status job-${r.status}`}>{r.status}</span></td>
              <td className="num">{r.done} / {r.total}</td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td className="cell-message">{r.error ? `${r.error.name}: ${r.error.message}` : r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
