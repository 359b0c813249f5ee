/**
 * The element lines of zero-MACC layers (BN, ReLU, add, pools, gap, flatten): latency
 * against the elements each layer touches, not MACCs, so they get a table of their own
 * rather than points on the MACC chart.
 */
import type { ElementFitGroupDto } from '../../api/calibration-api.ts';
import { formatInt } from '../format.ts';

export function ElementFitTable({ fit }: { fit: ElementFitGroupDto[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="element-fit-table">
        <thead>
          <tr>
            <th>layer type</th><th className="num">points</th><th className="num">elements</th>
            <th className="num">slope (ms / M elements)</th><th className="num">intercept (ms)</th>
            <th className="num">R²</th><th className="num">MAPE %</th>
          </tr>
        </thead>
        <tbody>
          {fit.map((g) => {
            const xs = g.residuals.map((r) => r.elements);
            return (
              <tr key={g.layerType} data-group={g.layerType}>
                <td>{g.layerType}</td>
                <td className="num">{g.points}</td>
                <td className="num">{xs.length > 0 ? `${formatInt(Math.min(...xs))} – ${formatInt(Math.max(...xs))}` : '—'}</td>
                <td className="num">{(g.slopeMsPerElement * 1e6).toFixed(4)}</td>
                <td className="num">{g.interceptMs.toFixed(4)}</td>
                <td className="num">{g.r2.toFixed(3)}</td>
                <td className="num">{g.mapePct.toFixed(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
