/** Past and running searches; tick runs to compare their curves, click one to see its tree. */
import type { SearchStatus } from '../../api/search-api.ts';

export function SearchRunList({ runs, selected, onSelect }: { runs: SearchStatus[]; selected: string | null; onSelect: (runId: string) => void }) {
  if (runs.length === 0) return <p className="empty" data-testid="search-runs-empty">No searches yet.</p>;
  return (
    <div className="table-wrap">
      <table className="run-list" data-testid="search-runs">
        <thead>
          <tr><th>run</th><th>method</th><th>model</th><th>profiles</th><th className="num">traces</th><th>status</th><th className="num">episodes</th><th className="num">evaluations</th><th>message</th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} className={r.runId === selected ? 'selected' : ''} data-run-id={r.runId} data-status={r.status} tabIndex={0}
              onClick={() => onSelect(r.runId)} onKeyDown={(e) => { if (e.key === 'Enter') onSelect(r.runId); }}>
              <td><code>{r.runId}</code></td>
              <td>{r.params.method}</td>
              <td>{r.params.model}/{r.params.dataset}</td>
              <td>{r.params.profileId} + cloud {r.params.cloudProfileId}</td>
              <td className="num">{r.params.traceIds.length}</td>
              <td><span className={`job-status job-${r.status}`}>{r.status}</span></td>
              <td className="num">{r.done} / {r.total}</td>
              <td className="num">{r.evaluations} ({r.cacheHits} hits)</td>
              <td className="cell-message">{r.error ? `${r.error.name}: ${r.error.message}` : r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
