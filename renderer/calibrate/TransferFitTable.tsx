/** The link's fit per bandwidth (paper Eq. 6): f(S|W) = intercept + slope·S, with R² and MAPE of T. */
import type { TransferFitDto } from '../../api/calibration-api.ts';

export function TransferFitTable({ fit }: { fit: TransferFitDto[] }) {
  return (
    <div className="table-wrap">
      <table className="fit-table" data-testid="transfer-fit-table">
        <thead>
          <tr><th className="num">bandwidth Mbit/s</th><th className="num">points</th><th className="num">intercept ms</th><th className="num">slope ms per MB</th><th className="num">R²</th><th className="num">MAPE % of T</th></tr>
        </thead>
        <tbody>
          {fit.map((g) => (
            <tr key={g.bandwidthMbps} data-bandwidth={g.bandwidthMbps}>
              <td className="num">{g.bandwidthMbps}</td>
              <td className="num">{g.points}</td>
              <td className="num">{g.interceptMs.toFixed(2)}</td>
              <td className="num">{(g.slopeMsPerByte * 1e6).toFixed(3)}</td>
              <td className="num">{g.r2.toFixed(3)}</td>
              <td className="num">{g.mapePct.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
