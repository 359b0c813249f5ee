/**
 * Search: choose model, data set, profiles, traces and methods, start one run per method;
 * follow the reward curves live (Fig. 7); see the selected run's tree (Fig. 8) and its
 * branches per trace.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SearchStatus, StartSearchRequest } from '../../api/search-api.ts';
import type { ProfileSummary, StudioApi, TraceSummary } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished } from '../use-job-polling.ts';
import { JobProgressPanel } from '../calibrate/JobProgressPanel.tsx';
import { SearchForm } from './SearchForm.tsx';
import { RewardCurveChart } from './RewardCurveChart.tsx';
import { ModelTreeView } from './ModelTreeView.tsx';
import { BranchTable } from './BranchTable.tsx';
import { SearchRunList } from './SearchRunList.tsx';
import { curveSeries } from './curve-series.ts';
import { useRunsPolling } from './use-runs-polling.ts';
import { formatMbps } from '../format.ts';

export function SearchScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [traces, setTraces] = useState<TraceSummary[]>([]);
  const [history, setHistory] = useState<SearchStatus[]>([]);
  const [followed, setFollowed] = useState<SearchStatus[]>([]);
  const [selectedRun, setSelectedRun] = useState<string | null>(null);
  const [traceId, setTraceId] = useState<string | null>(null);

  const fetchStatus = useCallback((runId: string) => api.searchStatus({ runId }), [api]);
  const { runs: live, pollError } = useRunsPolling(followed, fetchStatus);

  const refresh = useCallback(async () => {
    const list = await run('Loading searches', () => api.listSearches({}));
    if (list) setHistory(list);
  }, [api, run]);

  useEffect(() => {
    void run('Loading profiles', () => api.listProfiles({})).then((p) => { if (p) setProfiles(p); });
    void run('Loading traces', () => api.listTraces({})).then((t) => { if (t) setTraces(t); });
    void refresh();
  }, [api, run, refresh]);

  const finishedCount = live.filter(isJobFinished).length;
  useEffect(() => { if (finishedCount > 0) void refresh(); }, [finishedCount, refresh]);

  const start = async (reqs: StartSearchRequest[]) => {
    const started: SearchStatus[] = [];
    for (const req of reqs) {
      const s = await run(`Starting ${req.method}`, () => api.startSearch(req));
      if (s) started.push(s);
    }
    if (started.length === 0) return;
    setFollowed(started);
    setSelectedRun(started[0].runId);
    setTraceId(started[0].params.traceIds[0]);
    void refresh();
  };

  // The runs shown: the followed ones live, else the ones picked from the list.
  const byId = useMemo(() => {
    const m = new Map(history.map((r) => [r.runId, r]));
    for (const r of live) m.set(r.runId, r);
    return m;
  }, [history, live]);
  const shown = live.length > 0 ? live : (selectedRun !== null && byId.has(selectedRun) ? [byId.get(selectedRun) as SearchStatus] : []);
  const selected = selectedRun === null ? null : (byId.get(selectedRun) ?? null);
  const traceIds = [...new Set(shown.flatMap((r) => r.params.traceIds))];
  const trace = traceId !== null && traceIds.includes(traceId) ? traceId : (traceIds[0] ?? null);
  const result = selected?.traces.find((t) => t.traceId === trace) ?? null;
  const techniques = new Map((selected?.traces ?? []).flatMap((t) => t.branches.flatMap((b) => b.variants.map((v) => [v.id, v.technique] as const))));
  const running = live.some((r) => !isJobFinished(r));
  const traceName = (id: string) => traces.find((t) => t.id === id)?.name ?? `trace ${id}`;

  return (
    <section className="search" aria-label="Search">
      <SearchForm profiles={profiles} traces={traces} disabled={running} onStart={(reqs) => void start(reqs)} />
      {live.map((r) => (
        <div key={r.runId} className="search-job">
          <JobProgressPanel job={r} backend={null} pollError={pollError} testId={`search-progress-${r.params.method}`} />
          {!isJobFinished(r) && <button type="button" data-testid={`search-cancel-${r.params.method}`} onClick={() => void run('Cancelling', () => api.cancelJob({ runId: r.runId }))}>Cancel {r.params.method}</button>}
        </div>
      ))}
      {shown.length > 0 && trace !== null && (
        <>
          <div className="toolbar">
            <label>Trace
              <select data-testid="search-result-trace" value={trace} onChange={(e) => setTraceId(e.target.value)}>
                {traceIds.map((id) => <option key={id} value={id}>{traceName(id)}</option>)}
              </select>
            </label>
            <label>Run shown below
              <select data-testid="search-result-run" value={selectedRun ?? ''} onChange={(e) => setSelectedRun(e.target.value)}>
                {shown.map((r) => <option key={r.runId} value={r.runId}>{r.params.method} (run {r.runId})</option>)}
              </select>
            </label>
          </div>
          <RewardCurveChart series={curveSeries(shown, trace)} />
        </>
      )}
      {selected !== null && result !== null && (
        <div data-testid="search-result" data-run-id={selected.runId} data-method={selected.params.method}>
          <p className="hint" data-testid="search-summary">
            {selected.params.method} on {selected.params.model}/{selected.params.dataset}, trace {result.traceName}: bandwidth types {result.levelsMbps.map(formatMbps).join(' / ')} Mbit/s
            (median {formatMbps(result.medianMbps)}), reward <strong data-testid="search-reward">{result.reward.toFixed(2)}</strong>;
            {' '}{selected.evaluations} accuracy evaluations, {selected.cacheHits} cache hits, {(selected.wallMs / 1000).toFixed(1)} s
            {selected.baseAccuracy !== null && <>; base accuracy {(100 * selected.baseAccuracy).toFixed(2)}%</>}
          </p>
          {result.tree !== null && <ModelTreeView tree={result.tree} branches={result.fixed === null ? result.branches : []} techniques={techniques} />}
          {result.branches.length > 0 && (<><h2 className="section-title">Branches</h2><BranchTable rows={result.branches} /></>)}
          {result.surgery.length > 0 && (
            <>
              <h2 className="section-title">Partitions of the base model</h2>
              <div className="table-wrap">
                <table data-testid="surgery-table">
                  <thead><tr><th className="num">Mbit/s</th><th>cut</th><th className="num">device layers</th><th className="num">edge ms</th><th className="num">transfer ms</th><th className="num">cloud ms</th><th className="num">latency ms</th></tr></thead>
                  <tbody>
                    {result.surgery.map((d, i) => (
                      <tr key={i}><td className="num">{formatMbps(d.bandwidthMbps)}</td><td>{d.cut ?? 'not a prefix (DAG)'}</td><td className="num">{d.deviceLayers}</td>
                        <td className="num">{d.edgeMs.toFixed(2)}</td><td className="num">{d.transferMs.toFixed(2)}</td><td className="num">{d.cloudMs.toFixed(2)}</td><td className="num">{d.totalMs.toFixed(2)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
      <h2 className="section-title">Search runs</h2>
      <SearchRunList runs={history.map((r) => byId.get(r.runId) ?? r)} selected={selectedRun} onSelect={(id) => { setFollowed([]); setSelectedRun(id); setTraceId(null); }} />
    </section>
  );
}
