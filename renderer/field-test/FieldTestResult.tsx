/** A field test's results: Table V, one configuration's timeline (picked), measured against estimated, and the limits and notes. */
import { useState } from 'react';
import type { FieldMethodName, FieldTestStatus } from '../../api/field-test-api.ts';
import { FieldTableV } from './FieldTableV.tsx';
import { FieldTimelineChart } from './FieldTimelineChart.tsx';
import { EstimateChart } from './EstimateChart.tsx';

export function FieldTestResult({ test }: { test: FieldTestStatus }) {
  const [picked, setPicked] = useState<FieldMethodName | null>(null);
  const shown = test.methods.find((m) => m.method === picked) ?? test.methods[0];
  return (
    <div data-testid="field-result" data-run-id={test.runId}>
      <p className="hint" data-testid="field-summary">
        {test.model ?? 'bundle'}/{test.dataset ?? ''} over {test.traceName ?? `trace ${test.params.traceId}`}
        {test.searchRunId !== null && <>, from search run {test.searchRunId}</>}: {test.params.inferences} inferences per configuration, device {test.params.deviceId}, CPU share {test.params.cpus ?? 'not limited'}
      </p>
      {test.methods.length === 0 ? <p className="empty">No configuration finished yet.</p> : (
        <>
          <FieldTableV methods={test.methods} cpus={test.params.cpus} />
          <div className="toolbar">
            <label>Timeline of
              <select data-testid="field-timeline-method" value={shown.method} onChange={(e) => setPicked(e.target.value as FieldMethodName)}>
                {test.methods.map((m) => <option key={m.method} value={m.method}>{m.method}</option>)}
              </select>
            </label>
          </div>
          <div className="charts">
            <FieldTimelineChart report={shown} />
            <EstimateChart methods={test.methods} />
          </div>
        </>
      )}
      {(test.limits.length > 0 || test.notes.length > 0) && (
        <div className="field-notes">
          {test.limits.length > 0 && (<><h3>Limits</h3><ul data-testid="field-limits">{test.limits.map((l) => <li key={l}>{l}</li>)}</ul></>)}
          {test.notes.length > 0 && (<><h3>Notes</h3><ul data-testid="field-notes">{test.notes.map((n) => <li key={n}>{n}</li>)}</ul></>)}
        </div>
      )}
    </div>
  );
}
