/**
 * A device run's inferences as they arrive (branch, cut, bandwidth seen, the three parts of
 * the latency, class against label) and its summary; a run that failed keeps its rows.
 */
import type { DeviceRunStatus } from '../../api/field-test-api.ts';

export function DeviceRunView({ job }: { job: DeviceRunStatus }) {
  const s = job.summary;
  return (
    <div data-testid="run-result" data-run-id={job.runId} data-status={job.status}>
      {s !== null && (
        <p className="hint" data-testid="run-summary" data-mean-ms={s.meanTotalMs} data-accuracy={s.accuracy} data-offloads={s.offloads}>
          {job.inferences.length} inferences on {job.deviceId}{job.model !== null && <> ({job.model}/{job.dataset})</>}: mean <strong>{s.meanTotalMs.toFixed(1)} ms</strong>,
          {' '}{s.offloads} offloaded, {s.fallbacks} finished on the device after a cloud failure, accuracy <strong>{(100 * s.accuracy).toFixed(1)}%</strong> ({s.correct} of {job.inferences.length})
        </p>
      )}
      {job.inferences.length === 0 ? <p className="empty">No inferences yet.</p> : (
        <div className="table-wrap">
          <table data-testid="run-table">
            <thead>
              <tr><th className="num">#</th><th>branch</th><th className="num">cut</th><th className="num">Mbit/s</th><th className="num">edge ms</th><th className="num">transfer ms</th>
                <th className="num">cloud ms</th><th className="num">total ms</th><th className="num">class</th><th className="num">label</th></tr>
            </thead>
            <tbody>
              {job.inferences.map((x) => (
                <tr key={x.index} data-testid="run-row" data-index={x.index} data-total-ms={x.totalMs} data-correct={x.predictedClass === x.label}>
                  <td className="num">{x.index + 1}</td>
                  <td><code>{x.branch}</code>{x.fallback && <span className="flag" title="the cloud failed; the device finished this inference"> fallback</span>}</td>
                  <td className="num">{x.cut ?? 'device'}</td>
                  <td className="num">{x.bandwidthMbps.toFixed(2)}</td>
                  <td className="num">{x.edgeMs.toFixed(2)}</td>
                  <td className="num">{x.transferMs.toFixed(2)}</td>
                  <td className="num">{x.cloudMs.toFixed(2)}</td>
                  <td className="num">{x.totalMs.toFixed(2)}</td>
                  <td className="num">{x.predictedClass}</td>
                  <td className={x.label >= 0 && x.predictedClass !== x.label ? 'num error-cell' : 'num'}>{x.label >= 0 ? x.label : '-'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
