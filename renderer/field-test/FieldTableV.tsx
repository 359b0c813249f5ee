/** Table V: per configuration, mean measured against estimated latency, accuracy, reward, and a flag where the estimates drift beyond ±10%. */
import type { FieldMethodReport } from '../../api/field-test-api.ts';
import { driftPercent } from './field-timeline.ts';

export function FieldTableV({ methods, cpus }: { methods: FieldMethodReport[]; cpus: number | null }) {
  const drifting = methods.filter((m) => m.drift);
  return (
    <div>
      <div className="table-wrap">
        <table data-testid="field-table">
          <thead>
            <tr><th>method</th><th>configuration</th><th className="num">inferences</th><th className="num">measured ms</th><th className="num">estimated ms</th>
              <th className="num">measured / estimated</th><th className="num">accuracy</th><th className="num">reward</th><th>estimates</th></tr>
          </thead>
          <tbody>
            {methods.map((m) => (
              <tr key={m.method} data-testid="field-row" data-method={m.method} data-measured={m.meanMeasuredMs} data-estimated={m.meanEstimatedMs ?? ''}
                data-accuracy={m.accuracy} data-reward={m.reward} data-drift={m.drift}>
                <td>{m.method}</td>
                <td className="cell-message">{m.description}</td>
                <td className="num">{m.inferences.length}</td>
                <td className="num" data-testid="field-measured">{m.meanMeasuredMs.toFixed(2)}</td>
                <td className="num">{m.meanEstimatedMs === null ? '-' : m.meanEstimatedMs.toFixed(2)}</td>
                <td className="num">{m.ratio === null ? '-' : `${m.ratio.toFixed(2)} (${driftPercent(m.ratio)})`}</td>
                <td className="num" data-testid="field-accuracy">{(100 * m.accuracy).toFixed(1)}%</td>
                <td className="num" data-testid="field-reward">{m.reward.toFixed(2)}</td>
                <td>{m.ratio === null ? 'no estimate' : m.drift ? <span className="flag" data-testid="field-drift">drift beyond ±10%</span> : 'within ±10%'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {drifting.length > 0 && (
        <p className="hint" data-testid="field-drift-hint">
          The profile's estimates drift for {drifting.map((m) => m.method).join(', ')}: recalibrate the device on the Calibrate screen under the same limits
          (one thread, {cpus === null ? 'the same backend' : `${cpus} CPU`}), and the link, so that the search estimates what the device does here.
        </p>
      )}
    </div>
  );
}
