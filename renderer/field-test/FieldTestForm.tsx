/** What to field-test: a packaged tree bundle, a trace to shape the link with, inferences per configuration, the device's CPU share, the configurations. */
import { useState } from 'react';
import { FIELD_METHODS } from '../../api/field-test-api.ts';
import type { BundleSummary, FieldMethodName, StartFieldTestRequest } from '../../api/field-test-api.ts';
import type { TraceSummary } from '../../api/studio-api.ts';
import type { DeviceSummary } from '../../api/calibration-api.ts';
import { formatBytes } from '../format.ts';

export const DEFAULT_FIELD_INFERENCES = 20;

const METHOD_LABELS: Record<FieldMethodName, string> = { tree: 'model tree (the bundle)', branch: 'optimal branch', surgery: 'DNN surgery' };

/** This computer's device variants (local, local:js, local:CPUS): the field test shapes a link on this computer. */
export function fieldDevices(devices: readonly DeviceSummary[]): DeviceSummary[] {
  return devices.filter((d) => d.kind === 'local');
}

export function FieldTestForm({ bundles, traces, devices, disabled, onRun }: { bundles: BundleSummary[]; traces: TraceSummary[]; devices: DeviceSummary[]; disabled: boolean; onRun: (req: StartFieldTestRequest) => void }) {
  const [deviceId, setDeviceId] = useState('local');
  const [bundleDir, setBundleDir] = useState('');
  const [traceId, setTraceId] = useState('');
  const [inferences, setInferences] = useState(DEFAULT_FIELD_INFERENCES);
  // Empty: the device's own (local:CPUS its share, local:js none, local 0.5).
  const [cpus, setCpus] = useState('');
  const [methods, setMethods] = useState<FieldMethodName[]>([...FIELD_METHODS]);
  const bundle = bundleDir !== '' ? bundleDir : (bundles[0]?.dir ?? '');
  const trace = traceId !== '' ? traceId : (traces[0]?.id ?? '');
  const toggle = (m: FieldMethodName) => setMethods(methods.includes(m) ? methods.filter((x) => x !== m) : [...methods, m]);
  return (
    <div className="panel-form" data-testid="field-form">
      <div className="toolbar">
        <label>Bundle
          <select data-testid="field-bundle" value={bundle} onChange={(e) => setBundleDir(e.target.value)}>
            {bundles.length === 0 && <option value="">no bundles: package one on the Deploy screen</option>}
            {bundles.map((b) => (
              <option key={b.dir} value={b.dir}>{b.dir.split('/').pop()}: {b.model}/{b.dataset}, search run {b.searchRunId ?? 'none'}, {b.nodes} nodes, {formatBytes(b.bytes)}</option>
            ))}
          </select>
        </label>
        <label>Trace
          <select data-testid="field-trace" value={trace} onChange={(e) => setTraceId(e.target.value)}>
            {traces.length === 0 && <option value="">no traces: import one on the Traces screen</option>}
            {traces.map((t) => <option key={t.id} value={t.id}>{t.name} (median {t.p50Mbps.toFixed(2)} Mbit/s, {t.samples} samples)</option>)}
          </select>
        </label>
        <label>Inferences per configuration
          <input type="number" className="count" min={1} step={1} value={inferences} data-testid="field-inferences"
            onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1) setInferences(n); }} />
        </label>
        <label>Device
          <select data-testid="field-device" value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
            {fieldDevices(devices).map((d) => <option key={d.id} value={d.id}>{d.id}: {d.name}</option>)}
            {!devices.some((d) => d.id === 'local') && <option value="local">local: this computer</option>}
          </select>
        </label>
        <label>CPU share
          <input type="number" className="count" min={0.05} max={16} step={0.05} value={cpus} placeholder="device's" data-testid="field-cpus"
            onChange={(e) => setCpus(e.target.value)} />
        </label>
      </div>
      <fieldset className="checks" data-testid="field-methods">
        <legend>Configurations (the branch and surgery are packaged from the bundle's search run)</legend>
        {FIELD_METHODS.map((m) => (
          <label key={m} className="inline">
            <input type="checkbox" data-testid={`field-method-${m}`} checked={methods.includes(m)} onChange={() => toggle(m)} />
            {METHOD_LABELS[m]}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <button type="button" className="primary" data-testid="field-run" disabled={disabled || bundle === '' || trace === '' || methods.length === 0}
          onClick={() => onRun({
            deviceId, bundleDir: bundle, traceId: trace, inferences, methods: FIELD_METHODS.filter((m) => methods.includes(m)),
            ...(Number(cpus) > 0 && { cpus: Number(cpus) }),
          })}>
          Run
        </button>
        <span className="hint">On this computer: the device side in a network namespace, its link shaped by the trace with tc, its process on the device's backend and held to the CPU share (needs root). Calibrate the same device for the search's profile.</span>
      </div>
    </div>
  );
}
