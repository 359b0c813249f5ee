/**
 * Deploy: package a finished search's tree (or its branch or surgery configuration), push
 * the bundle to a device with byte progress and checksums checked there, then start it on
 * the device against the cloud server and follow each inference as it comes.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DeployStatus, PackageRequest, PackageResult } from '../../api/deploy-api.ts';
import type { BundleSummary, DeviceRunStatus, StartDeviceRunRequest } from '../../api/field-test-api.ts';
import type { SearchStatus } from '../../api/search-api.ts';
import type { DeviceSummary } from '../../api/calibration-api.ts';
import type { StudioApi } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { isJobFinished, useJobPolling } from '../use-job-polling.ts';
import { JobProgressPanel } from '../calibrate/JobProgressPanel.tsx';
import { DevicePicker } from '../devices/DevicePicker.tsx';
import { formatBytes } from '../format.ts';
import { PackageForm } from './PackageForm.tsx';
import { PackageResultView } from './PackageResultView.tsx';
import { DeployProgressView } from './DeployProgressView.tsx';
import { DeviceRunForm } from './DeviceRunForm.tsx';
import { DeviceRunView } from './DeviceRunView.tsx';
import { packableSearches } from './packable-searches.ts';

export function DeployScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [searches, setSearches] = useState<SearchStatus[]>([]);
  const [bundles, setBundles] = useState<BundleSummary[]>([]);
  const [devices, setDevices] = useState<DeviceSummary[]>([]);
  const [packaged, setPackaged] = useState<PackageResult | null>(null);
  const [packaging, setPackaging] = useState(false);
  const [bundleDir, setBundleDir] = useState('');
  const [deviceId, setDeviceId] = useState('');
  const [deployStarted, setDeployStarted] = useState<DeployStatus | null>(null);
  const [runStarted, setRunStarted] = useState<DeviceRunStatus | null>(null);

  const fetchDeploy = useCallback((runId: string) => api.deployStatus({ runId }), [api]);
  const fetchRun = useCallback((runId: string) => api.deviceRunStatus({ runId }), [api]);
  const { job: deploy, pollError: deployPollError } = useJobPolling(deployStarted, fetchDeploy);
  const { job: deviceRun, pollError: runPollError } = useJobPolling(runStarted, fetchRun);

  const refreshBundles = useCallback(async () => {
    const list = await run('Loading bundles', () => api.listBundles({}));
    if (list) setBundles(list);
  }, [api, run]);

  useEffect(() => {
    void run('Loading searches', () => api.listSearches({})).then((s) => { if (s) setSearches(packableSearches(s)); });
    void run('Loading devices', () => api.listDevices({})).then((d) => { if (d) setDevices(d); });
    void refreshBundles();
  }, [api, run, refreshBundles]);

  const doPackage = async (req: PackageRequest) => {
    setPackaging(true);
    const r = await run('Packaging', () => api.packageBundle(req));
    setPackaging(false);
    if (!r) return;
    setPackaged(r);
    setBundleDir(r.dir);
    void refreshBundles();
  };
  const bundle = bundleDir !== '' ? bundleDir : (bundles[0]?.dir ?? '');
  const device = deviceId !== '' ? deviceId : (devices.find((d) => d.state === 'online')?.id ?? devices[0]?.id ?? '');
  const deploying = deploy !== null && !isJobFinished(deploy);
  const running = deviceRun !== null && !isJobFinished(deviceRun);
  const deployed = deploy?.status === 'done' && deploy.deviceId === device;

  const doDeploy = async () => {
    const s = await run('Starting deploy', () => api.startDeploy({ deviceId: device, bundleDir: bundle }));
    if (s) { setDeployStarted(s); setRunStarted(null); }
  };
  const doRun = async (req: StartDeviceRunRequest) => {
    const s = await run('Starting run', () => api.startDeviceRun(req));
    if (s) setRunStarted(s);
  };

  return (
    <section className="deploy" aria-label="Deploy">
      <h2 className="section-title">1. Package</h2>
      <PackageForm searches={searches} disabled={packaging} onPackage={(req) => void doPackage(req)} />
      {packaging && <p className="hint" data-testid="package-running">Packaging: cutting the blocks and writing their weights…</p>}
      {packaged !== null && <PackageResultView result={packaged} />}

      <h2 className="section-title">2. Deploy</h2>
      <div className="panel-form" data-testid="deploy-form">
        <div className="toolbar">
          <label>Bundle
            <select data-testid="deploy-bundle" value={bundle} onChange={(e) => setBundleDir(e.target.value)}>
              {bundles.length === 0 && <option value="">no bundles: package one above</option>}
              {bundles.map((b) => (
                <option key={b.dir} value={b.dir}>{b.dir.split('/').pop()}: {b.model}/{b.dataset}, {b.nodes} nodes, {b.branches} branches, {formatBytes(b.bytes)}</option>
              ))}
            </select>
          </label>
          <DevicePicker devices={devices} value={device} onChange={setDeviceId} testId="deploy-device" />
          <button type="button" className="primary" data-testid="deploy-start" disabled={deploying || running || bundle === '' || device === ''} onClick={() => void doDeploy()}>Deploy</button>
        </div>
      </div>
      {deploy !== null && <DeployProgressView job={deploy} pollError={deployPollError} />}

      <h2 className="section-title">3. Run on the device</h2>
      {!deployed && deviceRun === null && <p className="hint">Runs the bundle current on the device (deploy one first); the device's runtime streams a timeline per inference.</p>}
      <DeviceRunForm deviceId={device} disabled={running || deploying} onStart={(req) => void doRun(req)} />
      {deviceRun !== null && (
        <>
          <JobProgressPanel job={deviceRun} backend={null} pollError={runPollError} testId="run-progress" />
          <DeviceRunView job={deviceRun} />
        </>
      )}
    </section>
  );
}
