/**
 * Emulation: pick finished searches and traces, replay them from evenly spaced starts
 * (Alg. 2), and read Table IV with bar charts of latency and accuracy per method and trace.
 */
import { useCallback, useEffect, useState } from 'react';
import type { EmulationStatus, SearchStatus } from '../../api/search-api.ts';
import { DEFAULT_EMULATION_OFFSETS } from '../../api/search-api.ts';
import type { StudioApi, TraceSummary } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { JobProgressPanel } from '../calibrate/JobProgressPanel.tsx';
import { EmulationTableView } from './EmulationTableView.tsx';
import { EmulationBarChart } from './EmulationBarChart.tsx';

export function EmulationScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [searches, setSearches] = useState<SearchStatus[]>([]);
  const [traces, setTraces] = useState<TraceSummary[]>([]);
  const [runIds, setRunIds] = useState<string[]>([]);
  const [traceIds, setTraceIds] = useState<string[]>([]);
  const [offsets, setOffsets] = useState(DEFAULT_EMULATION_OFFSETS);
  const [history, setHistory] = useState<EmulationStatus[]>([]);
  const [started, setStarted] = useState<EmulationStatus | null>(null);

  const fetchStatus = useCallback((runId: string) => api.emulationStatus({ runId }), [api]);
  const { job, pollError } = useJobPolling(started, fetchStatus);

  const refresh = useCallback(async () => {
    const list = await run('Loading emulations', () => api.listEmulations({}));
    if (list) setHistory(list);
  }, [api, run]);

  useEffect(() => {
    void run('Loading searches', () => api.listSearches({})).then((s) => { if (s) setSearches(s.filter((r) => r.status === 'done')); });
    void run('Loading traces', () => api.listTraces({})).then((t) => { if (t) setTraces(t); });
    void refresh();
  }, [api, run, refresh]);

  const finished = job !== null && isJobFinished(job);
  useEffect(() => { if (finished) void refresh(); }, [finished, refresh]);

  const toggle = (list: string[], x: string): string[] => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x]);
  const start = async () => {
    const s = await run('Starting emulation', () => api.startEmulation({ searchRunIds: runIds, traceIds, offsets }));
    if (s) { setStarted(s); void refresh(); }
  };
  const open = async (runId: string) => {
    const s = await run('Loading emulation', () => api.emulationStatus({ runId }));
    if (s) setStarted(s);
  };
  const running = job !== null && !isJobFinished(job);

  return (
    <section className="emulation" aria-label="Emulation">
      <div className="panel-form">
        <fieldset className="checks" data-testid="emulation-searches">
          <legend>Finished searches (one model, data set and pair of profiles)</legend>
          {searches.length === 0 && <span className="empty">No finished searches yet: run some on the Search screen.</span>}
          {searches.map((s) => (
            <label key={s.runId} className="inline">
              <input type="checkbox" data-testid={`emulation-search-${s.runId}`} checked={runIds.includes(s.runId)} onChange={() => setRunIds(toggle(runIds, s.runId))} />
              run {s.runId}: {s.params.method} on {s.params.model}/{s.params.dataset}
            </label>
          ))}
        </fieldset>
        <fieldset className="checks" data-testid="emulation-traces">
          <legend>Traces to replay</legend>
          {traces.map((t) => (
            <label key={t.id} className="inline">
              <input type="checkbox" data-testid={`emulation-trace-${t.id}`} checked={traceIds.includes(t.id)} onChange={() => setTraceIds(toggle(traceIds, t.id))} />
              {t.name}
            </label>
          ))}
        </fieldset>
        <div className="toolbar">
          <label>Starts per trace
            <input type="number" className="count" min={1} step={1} value={offsets} data-testid="emulation-offsets"
              onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1) setOffsets(n); }} />
          </label>
          <button type="button" className="primary" data-testid="emulation-start" disabled={running || runIds.length === 0 || traceIds.length === 0} onClick={() => void start()}>Start</button>
        </div>
      </div>
      {job !== null && <JobProgressPanel job={job} backend={null} pollError={pollError} testId="emulation-progress" />}
      {job?.table && (
        <div data-testid="emulation-result">
          <EmulationTableView table={job.table} />
          <div className="charts">
            <EmulationBarChart table={job.table} metric="latencyMs" testId="emulation-latency-chart" />
            <EmulationBarChart table={job.table} metric="accuracy" testId="emulation-accuracy-chart" />
          </div>
        </div>
      )}
      <h2 className="section-title">Emulation runs</h2>
      {history.length === 0 ? <p className="empty">No emulations yet.</p> : (
        <div className="table-wrap">
          <table className="run-list" data-testid="emulation-runs">
            <thead><tr><th>run</th><th>searches</th><th className="num">traces</th><th className="num">starts</th><th>status</th><th>message</th></tr></thead>
            <tbody>
              {history.map((r) => (
                <tr key={r.runId} className={r.runId === job?.runId ? 'selected' : ''} data-run-id={r.runId} tabIndex={0}
                  onClick={() => void open(r.runId)} onKeyDown={(e) => { if (e.key === 'Enter') void open(r.runId); }}>
                  <td><code>{r.runId}</code></td>
                  <td>{r.methods.map((m) => m.name).join(', ') || r.params.searchRunIds.join(', ')}</td>
                  <td className="num">{r.params.traceIds.length}</td>
                  <td className="num">{r.params.offsets}</td>
                  <td><span className={`job-status job-${r.status}`}>{r.status}</span></td>
                  <td className="cell-message">{r.error ? `${r.error.name}: ${r.error.message}` : r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
