/** Each complete model of a result: partition, techniques, latency parts, accuracy and reward. */
import type { SearchBranchRow } from '../../api/search-api.ts';
import { formatMbps } from '../format.ts';

export function BranchTable({ rows }: { rows: SearchBranchRow[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="branch-table">
        <thead>
          <tr><th>branch</th><th className="num">Mbit/s</th><th>partition</th><th>techniques</th><th className="num">edge ms</th><th className="num">transfer ms</th><th className="num">cloud ms</th><th className="num">latency ms</th><th className="num">accuracy</th><th className="num">reward</th></tr>
        </thead>
        <tbody>
          {rows.map((b, i) => (
            <tr key={i} data-testid="branch-row">
              <td><code>{b.levels.length === 0 ? 'fixed' : b.levels.join('')}</code></td>
              <td className="num">{formatMbps(b.bandwidthMbps)}</td>
              <td>{b.cut === b.layerCount ? 'all on device' : b.cut === 0 ? 'all in cloud' : `device [0, ${b.cut}), cloud [${b.cut}, ${b.layerCount})`}</td>
              <td>{b.variants.length === 0 ? 'none' : b.variants.map((v) => `${v.technique} (${v.id})`).join(', ')}</td>
              <td className="num">{b.edgeMs.toFixed(2)}</td>
              <td className="num">{b.transferMs.toFixed(2)}</td>
              <td className="num">{b.cloudMs.toFixed(2)}</td>
              <td className="num" data-testid="branch-latency">{b.latencyMs.toFixed(2)}</td>
              <td className="num">{(100 * b.accuracy).toFixed(2)}%</td>
              <td className="num" data-testid="branch-reward">{b.reward.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
