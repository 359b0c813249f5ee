/**
 * Measured vs estimated: run whole models on a device and compare with a profile's
 * estimate: the nn-Meter figures, a per-model chart and table, one model's layers.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DeviceSummary, ValidationStatus } from '../../api/calibration-api.ts';
import type { ProfileSummary } from '../../api/studio-api.ts';
import type { CalibrationScreensApi } from '../calibration-screens-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { DevicePicker } from '../devices/DevicePicker.tsx';
import { JobProgressPanel } from '../calibrate/JobProgressPanel.tsx';
import { ValidationSummary } from './ValidationSummary.tsx';
import { ValidationChart } from './ValidationChart.tsx';
import { ValidationModelTable } from './ValidationModelTable.tsx';
import { LayerBreakdownChart } from './LayerBreakdownChart.tsx';
import { ValidationRunList } from './ValidationRunList.tsx';
import { ValidationComparison } from './ValidationComparison.tsx';
import { ValidationHistoryChart } from './ValidationHistoryChart.tsx';
import { validationCsv } from './validation-csv.ts';
import { saveCsv } from '../csv.ts';

/** "a, b c" → ['a', 'b', 'c']; empty: the built-in validation set. */
function parseModels(text: string): string[] | undefined {
  const names = text.split(/[\s,]+/).filter((s) => s !== '');
  return names.length > 0 ? names : undefined;
}

export function ValidationScreen({ api, run }: { api: CalibrationScreensApi; run: RunFn }) {
  const [devices, setDevices] = useState<DeviceSummary[]>([]);
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [profileId, setProfileId] = useState('');
  const [modelsText, setModelsText] = useState('');
  const [started, setStarted] = useState<ValidationStatus | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pastRuns, setPastRuns] = useState<ValidationStatus[]>([]);
  const [compared, setCompared] = useState<ValidationStatus | null>(null);

  const fetchStatus = useCallback((runId: string) => api.validationStatus({ runId }), [api]);
  const { job, pollError } = useJobPolling(started, fetchStatus);

  useEffect(() => {
    void run('Looking for devices', () => api.listDevices({})).then((list) => {
      if (!list) return;
      setDevices(list);
      setDeviceId((current) => current !== '' ? current : (list.find((d) => d.state === 'online')?.id ?? ''));
    });
    void run('Loading profiles', () => api.listProfiles({})).then((list) => {
      if (!list) return;
      setProfiles(list);
      setProfileId((current) => current !== '' ? current : (list.at(-1)?.id ?? ''));
    });
  }, [api, run]);

  // Prefer a profile of the chosen device when there is one.
  useEffect(() => {
    setProfileId((current) => {
      const own = profiles.filter((p) => p.deviceId === deviceId);
      if (own.length === 0 || own.some((p) => p.id === current)) return current;
      return own[own.length - 1].id;
    });
  }, [deviceId, profiles]);

  const start = async () => {
    const models = parseModels(modelsText);
    const req = models === undefined ? { deviceId, profileId } : { deviceId, profileId, models };
    const status = await run('Starting validation', () => api.startValidation(req));
    if (status) { setSelected(null); setStarted(status); }
  };

  const running = job !== null && !isJobFinished(job);
  const jobStatus = job?.status;
  // The past runs list is reloaded when a run starts or finishes.
  useEffect(() => {
    void api.listValidations({}).then(setPastRuns, () => undefined);
  }, [api, jobStatus]);
  const report = job?.report ?? null;
  const model = report?.models.find((m) => m.name === selected) ?? null;

  return (
    <section className="validation" aria-label="Measured vs estimated">
      <div className="toolbar">
        <DevicePicker devices={devices} value={deviceId} onChange={setDeviceId} testId="validation-device" />
        <label>
          Profile
          <select data-testid="validation-profile" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            {profiles.length === 0 && <option value="">no profiles: calibrate first</option>}
            {profiles.map((p) => <option key={p.id} value={p.id}>{p.name} v{p.version} ({p.deviceId})</option>)}
          </select>
        </label>
        <label>
          Models
          <input type="text" className="wide-input" data-testid="validation-models" placeholder="empty: the built-in validation set" value={modelsText} onChange={(e) => setModelsText(e.target.value)} />
        </label>
        <button type="button" className="primary" data-testid="validation-start" disabled={deviceId === '' || profileId === '' || running} onClick={() => void start()}>Start</button>
        {running && <button type="button" data-testid="validation-cancel" onClick={() => void run('Cancelling', () => api.cancelJob({ runId: job.runId }))}>Cancel</button>}
      </div>
      <ValidationRunList runs={pastRuns} selected={job?.runId ?? null} onSelect={(r) => { setSelected(null); setStarted(r); }}
        compared={compared?.runId ?? null} onCompare={setCompared} />
      {deviceId !== '' && <ValidationHistoryChart runs={pastRuns} deviceId={deviceId} />}
      {job !== null && <JobProgressPanel job={job} backend={report?.backend ?? null} pollError={pollError} testId="validation-progress" />}
      {report !== null && (
        <div data-testid="validation-result">
          <ValidationSummary report={report} />
          <div className="charts">
            <ValidationChart models={report.models} onSelect={setSelected} />
            {model !== null
              ? <LayerBreakdownChart model={model} />
              : <p className="empty chart-placeholder">Click a model in the chart or the table to see its layers.</p>}
          </div>
          <div className="toolbar">
            <button type="button" data-testid="validation-export-csv" onClick={() => saveCsv(`validation-${job?.runId ?? ''}-${report.deviceId.replace(/[^\w.-]+/g, '_')}.csv`, validationCsv(report))}>Export CSV</button>
          </div>
          <ValidationModelTable models={report.models} selected={selected} onSelect={setSelected} />
          {compared?.report != null && compared.runId !== job?.runId && (
            <ValidationComparison a={report} b={compared.report} aLabel={`run ${job?.runId ?? ''}, profile ${report.profileId}`} bLabel={`run ${compared.runId}, profile ${compared.profileId}`} />
          )}
        </div>
      )}
    </section>
  );
}
