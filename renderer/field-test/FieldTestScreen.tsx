/**
 * Field test (the paper's Table V): run a packaged tree, and the branch and surgery of the
 * same search, over a link shaped by a trace on this computer; follow it, then read the
 * per-configuration table, each inference's timeline and measured against estimated.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BundleSummary, FieldTestStatus, StartFieldTestRequest } from '../../api/field-test-api.ts';
import type { StudioApi, TraceSummary } from '../../api/studio-api.ts';
import type { DeviceSummary } from '../../api/calibration-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { JobProgressPanel } from '../calibrate/JobProgressPanel.tsx';
import { FieldTestForm } from './FieldTestForm.tsx';
import { FieldTestResult } from './FieldTestResult.tsx';
import { FieldTestRunList } from './FieldTestRunList.tsx';

export function FieldTestScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [bundles, setBundles] = useState<BundleSummary[]>([]);
  const [traces, setTraces] = useState<TraceSummary[]>([]);
  const [devices, setDevices] = useState<DeviceSummary[]>([]);
  const [history, setHistory] = useState<FieldTestStatus[]>([]);
  const [opened, setOpened] = useState<FieldTestStatus | null>(null);

  const fetchStatus = useCallback((runId: string) => api.fieldTestStatus({ runId }), [api]);
  const { job, pollError } = useJobPolling(opened, fetchStatus);

  const refresh = useCallback(async () => {
    const list = await run('Loading field tests', () => api.listFieldTests({}));
    if (list) setHistory(list);
  }, [api, run]);

  useEffect(() => {
    void run('Loading bundles', () => api.listBundles({})).then((b) => { if (b) setBundles(b); });
    void run('Loading traces', () => api.listTraces({})).then((t) => { if (t) setTraces(t); });
    void run('Loading devices', () => api.listDevices({})).then((d) => { if (d) setDevices(d); });
    void refresh();
  }, [api, run, refresh]);

  const finished = job !== null && isJobFinished(job);
  useEffect(() => { if (finished) void refresh(); }, [finished, refresh]);

  const start = async (req: StartFieldTestRequest) => {
    const s = await run('Starting field test', () => api.startFieldTest(req));
    if (s) { setOpened(s); void refresh(); }
  };
  const open = async (runId: string) => {
    const s = await run('Loading field test', () => api.fieldTestStatus({ runId }));
    if (s) setOpened(s);
  };
  const running = job !== null && !isJobFinished(job);

  return (
    <section className="field-test" aria-label="Field test">
      <FieldTestForm bundles={bundles} traces={traces} devices={devices} disabled={running} onRun={(req) => void start(req)} />
      {job !== null && (
        <>
          <JobProgressPanel job={job} backend={null} pollError={pollError} testId="field-progress" />
          {!isJobFinished(job) && <button type="button" data-testid="field-cancel" onClick={() => void run('Cancelling', () => api.cancelJob({ runId: job.runId }))}>Cancel</button>}
          <FieldTestResult test={job} />
        </>
      )}
      <h2 className="section-title">Field tests</h2>
      <FieldTestRunList runs={history} selected={job?.runId ?? null} onOpen={(id) => void open(id)} />
    </section>
  );
}
