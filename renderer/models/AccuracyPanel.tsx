/**
 * The Models screen's accuracy view for a model with trained weights: its base accuracy
 * and how it was trained, and the compression sweep (started here, followed live) as a
 * chart of MACC saved against accuracy lost per technique, and a table.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CompressionSweepStatus, ModelAccuracy, StartCompressionSweepRequest } from '../../api/accuracy-api.ts';
import type { SearchModelName } from '../../api/search-api.ts';
import type { DatasetName, LayerRow, StudioApi } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { BaseAccuracy } from './BaseAccuracy.tsx';
import { SweepForm } from './SweepForm.tsx';
import { SweepChart } from './SweepChart.tsx';
import { SweepTable } from './SweepTable.tsx';

export function AccuracyPanel({ api, run, model, dataset, layers }: { api: StudioApi; run: RunFn; model: SearchModelName; dataset: DatasetName; layers: LayerRow[] }) {
  const [info, setInfo] = useState<ModelAccuracy | null>(null);
  const [started, setStarted] = useState<CompressionSweepStatus | null>(null);
  const fetchStatus = useCallback((runId: string) => api.compressionSweepStatus({ runId }), [api]);
  const { job, pollError } = useJobPolling(started, fetchStatus);

  useEffect(() => {
    let stale = false;
    setInfo(null);
    void run(`Accuracy of ${model} on ${dataset}`, () => api.modelAccuracy({ model, dataset })).then((a) => {
      if (stale || a === undefined) return;
      setInfo(a);
      setStarted(a.latestSweep);
    });
    return () => { stale = true; };
  }, [api, run, model, dataset]);

  const start = (s: Omit<StartCompressionSweepRequest, 'model' | 'dataset'>) => {
    void run('Starting the compression sweep', () => api.startCompressionSweep({ model, dataset, ...s })).then((st) => { if (st) setStarted(st); });
  };
  const running = job !== null && !isJobFinished(job);
  const rows = job?.rows ?? [];

  return (
    <section className="accuracy" aria-label="Accuracy" data-testid="accuracy-panel">
      <h2>Accuracy and compression</h2>
      {info === null ? <p className="empty">Loading…</p> : (
        <>
          <BaseAccuracy info={info} />
          {info.trained !== null && <SweepForm layers={layers} disabled={running} onStart={start} />}
        </>
      )}
      {job !== null && (
        <div className="sweep-status" data-testid="sweep-progress" data-status={job.status} data-done={job.done} data-total={job.total}>
          <progress max={Math.max(1, job.total)} value={job.done} />
          <span>sweep {job.runId}: {job.status}, {job.done} of {job.total || '?'} blocks{job.current ? ` · ${job.current}` : ''} · {job.message}</span>
          {job.baseAccuracy !== null && <span className="hint"> · base {(100 * job.baseAccuracy).toFixed(2)}% on {job.params.valImages} validation images</span>}
          {running && <button type="button" data-testid="sweep-cancel" onClick={() => void run('Cancelling the sweep', () => api.cancelJob({ runId: job.runId }))}>Cancel</button>}
          {pollError && <span className="form-error">{pollError}</span>}
        </div>
      )}
      {rows.length > 0 && job !== null && (
        <>
          <SweepChart rows={rows} images={job.params.valImages} />
          <SweepTable rows={rows} />
        </>
      )}
    </section>
  );
}
