/** The fit per layer type and kernel: points, slopes (per MACC; per weight and per im2col patch element where the line has those terms), intercept, R², MAPE, RMSE. */
import type { FitGroupDto } from '../../api/calibration-api.ts';
import { groupColour, groupLabel } from './fit-groups.ts';

export function FitTable({ fit, testId = 'fit-table' }: { fit: FitGroupDto[]; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>group</th><th>type</th><th className="num">kernel</th><th className="num">points</th>
            <th className="num">slope (ms / MMACC)</th><th className="num">weights (ms / M)</th><th className="num">patch el. (ms / M)</th><th className="num">intercept (ms)</th>
            <th className="num">R²</th><th className="num">MAPE %</th><th className="num">RMSE (ms)</th>
          </tr>
        </thead>
        <tbody>
          {fit.map((g, i) => (
            <tr key={groupLabel(g)} data-group={groupLabel(g)}>
              <td><span className="swatch" style={{ background: groupColour(i) }} />{groupLabel(g)}</td>
              <td>{g.layerType}</td>
              <td className="num">{g.kernel ?? '—'}</td>
              <td className="num">{g.points}</td>
              <td className="num">{(g.slopeMsPerMacc * 1e6).toFixed(4)}</td>
              <td className="num" data-testid="fit-weight-slope">{g.slopeMsPerWeight === undefined ? '—' : (g.slopeMsPerWeight * 1e6).toFixed(4)}</td>
              <td className="num" data-testid="fit-patch-slope">{g.slopeMsPerPatch === undefined ? '—' : (g.slopeMsPerPatch * 1e6).toFixed(4)}</td>
              <td className="num">{g.interceptMs.toFixed(4)}</td>
              <td className="num" data-testid="fit-r2">{g.r2.toFixed(3)}</td>
              <td className="num">{g.mapePct.toFixed(1)}</td>
              <td className="num">{g.rmseMs.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
