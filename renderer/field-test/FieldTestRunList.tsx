/** Past and running field tests; click one to open its table and charts. */
import type { FieldTestStatus } from '../../api/field-test-api.ts';

export function FieldTestRunList({ runs, selected, onOpen }: { runs: FieldTestStatus[]; selected: string | null; onOpen: (runId: string) => void }) {
  if (runs.length === 0) return <p className="empty" data-testid="field-runs-empty">No field tests yet.</p>;
  return (
    <div className="table-wrap">
      <table className="run-list" data-testid="field-runs">
        <thead><tr><th>run</th><th>model</th><th>trace</th><th>configurations</th><th className="num">inferences</th><th className="num">CPU</th><th>status</th><th>message</th></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} className={r.runId === selected ? 'selected' : ''} data-run-id={r.runId} data-status={r.status} tabIndex={0}
              onClick={() => onOpen(r.runId)} onKeyDown={(e) => { if (e.key === 'Enter') onOpen(r.runId); }}>
              <td><code>{r.runId}</code></td>
              <td>{r.model === null ? '-' : `${r.model}/${r.dataset}`}</td>
              <td>{r.traceName ?? r.params.traceId}</td>
              <td>{r.params.methods.join(', ')}</td>
              <td className="num">{r.params.inferences}</td>
              <td className="num">{r.params.cpus ?? "-"}</td>
              <td><span className={`job-status job-${r.status}`}>{r.status}</span></td>
              <td className="cell-message">{r.error ? `${r.error.name}: ${r.error.message}` : r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
