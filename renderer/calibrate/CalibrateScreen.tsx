/**
 * Calibrate: choose a device and a suite, start, follow the run live (cancel, resume),
 * then see the fitted profile: MACC-latency scatter with the fitted lines, and the fit table.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BenchSuite, CalibrationStatus, DeviceSummary, JobProgress, ProfileDetail } from '../../api/calibration-api.ts';
import type { CalibrationScreensApi } from '../calibration-screens-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { DevicePicker } from '../devices/DevicePicker.tsx';
import { JobProgressPanel } from './JobProgressPanel.tsx';
import { CalibrationRunList } from './CalibrationRunList.tsx';
import { ProfileCard } from './ProfileCard.tsx';
import { FitScatterChart } from './FitScatterChart.tsx';
import { FitTable } from './FitTable.tsx';
import { ElementFitTable } from './ElementFitTable.tsx';
import { TransferFitTable } from './TransferFitTable.tsx';
import { describeColdThreshold } from '../../latency/describe-cache.ts';

const SUITES: { value: BenchSuite; label: string }[] = [
  { value: 'quick', label: 'quick (a few minutes)' },
  { value: 'full', label: 'full (more sizes, kernel 11)' },
];

export function CalibrateScreen({ api, run }: { api: CalibrationScreensApi; run: RunFn }) {
  const [devices, setDevices] = useState<DeviceSummary[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [suite, setSuite] = useState<BenchSuite>('quick');
  const [runs, setRuns] = useState<JobProgress[]>([]);
  const [started, setStarted] = useState<CalibrationStatus | null>(null);
  const [profile, setProfile] = useState<ProfileDetail | null>(null);

  const fetchStatus = useCallback((runId: string) => api.calibrationStatus({ runId }), [api]);
  const { job, pollError } = useJobPolling(started, fetchStatus);

  const refreshRuns = useCallback(async () => {
    const list = await run('Loading calibration runs', () => api.listCalibrations({}));
    if (list) setRuns(list);
  }, [api, run]);

  useEffect(() => {
    void run('Looking for devices', () => api.listDevices({})).then((list) => {
      if (!list) return;
      setDevices(list);
      setDeviceId((current) => current !== '' ? current : (list.find((d) => d.state === 'online')?.id ?? ''));
    });
    void refreshRuns();
  }, [api, run, refreshRuns]);

  // A finished run: refresh the list; a fitted profile: load it with its fit.
  const finishedProfileId = job !== null && isJobFinished(job) ? job.profileId : null;
  const finishedStatus = job !== null && isJobFinished(job) ? job.status : null;
  useEffect(() => {
    if (finishedStatus === null) return;
    void refreshRuns();
  }, [finishedStatus, refreshRuns]);
  useEffect(() => {
    setProfile(null);
    if (finishedProfileId === null) return;
    let stale = false;
    void run('Loading profile', () => api.showProfile({ id: finishedProfileId })).then((d) => { if (!stale && d) setProfile(d); });
    return () => { stale = true; };
  }, [api, run, finishedProfileId]);

  const start = async (resumeRunId?: string) => {
    const req = resumeRunId !== undefined && job !== null
      ? { deviceId: job.deviceId, suite: job.suite, resumeRunId }
      : { deviceId, suite };
    const status = await run(resumeRunId ? 'Resuming calibration' : 'Starting calibration', () => api.startCalibration(req));
    if (status) { setStarted(status); void refreshRuns(); }
  };

  const open = async (runId: string) => {
    const status = await run('Loading calibration run', () => api.calibrationStatus({ runId }));
    if (status) setStarted(status);
  };

  const running = job !== null && !isJobFinished(job);
  const canResume = job !== null && (job.status === 'failed' || job.status === 'cancelled');
  const backend = job?.measurements.at(-1)?.backend ?? null;
  const last = job?.measurements.at(-1);

  return (
    <section className="calibrate" aria-label="Calibrate">
      <div className="toolbar">
        <DevicePicker devices={devices} value={deviceId} onChange={setDeviceId} testId="calibrate-device" />
        <label>
          Suite
          <select data-testid="calibrate-suite" value={suite} onChange={(e) => setSuite(e.target.value as BenchSuite)}>
            {SUITES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <button type="button" className="primary" data-testid="calibrate-start" disabled={deviceId === '' || running} onClick={() => void start()}>Start</button>
        {running && <button type="button" data-testid="calibrate-cancel" onClick={() => void run('Cancelling', () => api.cancelJob({ runId: job.runId }))}>Cancel</button>}
        {canResume && <button type="button" data-testid="calibrate-resume" onClick={() => void start(job.runId)}>Resume</button>}
      </div>
      {job !== null && (
        <>
          <JobProgressPanel job={job} backend={backend} pollError={pollError} testId="calibration-progress" />
          {last !== undefined && running && (
            <p className="hint" data-testid="calibration-last">Last measured: <code>{last.caseId}</code> median {last.medianMs.toFixed(3)} ms over {last.repeats} runs ({job.measurements.length} stored)</p>
          )}
        </>
      )}
      {profile !== null && (
        <div data-testid="calibration-result">
          <ProfileCard detail={profile} />
          {profile.fit !== null && profile.fit.length > 0 ? (
            <>
              <FitScatterChart fit={profile.fit} />
              <h2 className="section-title">Fit per layer type and kernel</h2>
              <FitTable fit={profile.fit} />
            </>
          ) : <p className="empty">This profile has no stored fit (it was imported, not calibrated here).</p>}
          {profile.elementFit && profile.elementFit.length > 0 && (
            <>
              <h2 className="section-title">Layers without MACCs: latency per element touched</h2>
              <ElementFitTable fit={profile.elementFit} />
            </>
          )}
          {profile.coldFit && profile.coldFit.length > 0 && (
            <>
              <h2 className="section-title">Cache-cold lines (models whose weights exceed {describeColdThreshold(profile.profile) ?? 'the cache'} move toward them by the share past it)</h2>
              <FitTable fit={profile.coldFit} testId="cold-fit-table" />
            </>
          )}
          {profile.transferFit && profile.transferFit.length > 0 && (
            <>
              <h2 className="section-title">Link transfer fit per bandwidth, T = f(S|W) + S/W</h2>
              <TransferFitTable fit={profile.transferFit} />
            </>
          )}
        </div>
      )}
      {/* The run being followed shows its live state in the list too. */}
      <h2 className="section-title">Calibration runs</h2>
      <CalibrationRunList runs={job === null ? runs : runs.map((r) => (r.runId === job.runId ? job : r))} selected={job?.runId ?? null} onSelect={(id) => void open(id)} />
    </section>
  );
}
