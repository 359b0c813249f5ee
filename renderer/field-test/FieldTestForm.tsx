/** What to field-test: a packaged tree bundle, a trace to shape the link with, inferences per configuration, the device's CPU share, the configurations. */
import { useState } from 'react';
import { FIELD_METHODS } from '../../api/field-test-api.ts';
import type { BundleSummary, FieldMethodName, StartFieldTestRequest } from '../../api/field-test-api.ts';
import type { TraceSummary } from '../../api/studio-api.ts';
import { formatBytes } from '../format.ts';

export const DEFAULT_FIELD_INFERENCES = 20;
export const DEFAULT_FIELD_CPUS = 0.5;

const METHOD_LABELS: Record<FieldMethodName, string> = { tree: 'model tree (the bundle)', branch: 'optimal branch', surgery: 'DNN surgery' };

export function FieldTestForm({ bundles, traces, disabled, onRun }: { bundles: BundleSummary[]; traces: TraceSummary[]; disabled: boolean; onRun: (req: StartFieldTestRequest) => void }) {
  const [bundleDir, setBundleDir] = useState('');
  const [traceId, setTraceId] = useState('');
  const [inferences, setInferences] = useState(DEFAULT_FIELD_INFERENCES);
  const [cpus, setCpus] = useState(DEFAULT_FIELD_CPUS);
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
        <label>Device CPU share
          <input type="number" className="count" min={0.05} max={16} step={0.05} value={cpus} data-testid="field-cpus"
            onChange={(e) => { const n = Number(e.target.value); if (Number.isFinite(n) && n > 0) setCpus(n); }} />
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
          onClick={() => onRun({ deviceId: 'local', bundleDir: bundle, traceId: trace, inferences, cpus, methods: FIELD_METHODS.filter((m) => methods.includes(m)) })}>
          Run
        </button>
        <span className="hint">On this computer: the device side in a network namespace, its link shaped by the trace with tc, its process held to the CPU share (needs root).</span>
      </div>
    </div>
  );
}
