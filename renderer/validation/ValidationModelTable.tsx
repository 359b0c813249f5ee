/** Per model: MACC, measured, estimated, error; rows beyond ±10% are marked; click for the layers. */
import type { ValidationModelRow } from '../../api/calibration-api.ts';
import { formatMacc } from '../format.ts';

export function ValidationModelTable({ models, selected, onSelect }: { models: ValidationModelRow[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="validation-table" data-testid="validation-table">
        <thead>
          <tr><th>model</th><th className="num">MACC</th><th className="num">measured (ms)</th><th className="num">estimated (ms)</th><th className="num">error %</th><th className="num" title="the speed reference now, over its time at calibration: above 1, a slower stretch">device speed</th></tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const beyond = Math.abs(m.errorPct) > 10;
            return (
              <tr key={m.name} data-model={m.name} data-beyond={beyond} tabIndex={0}
                className={[m.name === selected ? 'selected' : '', beyond ? 'beyond' : ''].join(' ').trim()}
                onClick={() => onSelect(m.name)} onKeyDown={(e) => { if (e.key === 'Enter') onSelect(m.name); }}>
                <td>{m.name}</td>
                <td className="num">{formatMacc(m.macc)}</td>
                <td className="num">{m.measuredMs.toFixed(2)}</td>
                <td className="num">{m.estimatedMs.toFixed(2)}</td>
                <td className={beyond ? 'num error-cell' : 'num'}>{m.errorPct >= 0 ? '+' : ''}{m.errorPct.toFixed(1)}</td>
                <td className="num" data-testid="speed-factor">{m.speedFactor === undefined ? '—' : `×${m.speedFactor.toFixed(2)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
