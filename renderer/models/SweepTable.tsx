/** The sweep's rows: technique, layer, MACCs, accuracy and what each costs. */
import type { SweepRow } from '../../api/accuracy-api.ts';
import { formatInt } from '../format.ts';

export function SweepTable({ rows }: { rows: SweepRow[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="sweep-table">
        <thead>
          <tr>
            <th>technique</th><th>layer</th><th className="num">MACC before</th><th className="num">MACC after</th><th className="num">saved</th>
            <th className="num">accuracy</th><th className="num">lost (points)</th><th>block</th><th>what changed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.variantId} data-variant={r.variantId}>
              <td>{r.technique}</td><td>{r.layerIndex} {r.layerId}</td>
              <td className="num">{formatInt(r.maccBefore)}</td><td className="num">{formatInt(r.maccAfter)}</td>
              <td className="num">{(100 * r.maccSaved / r.maccBefore).toFixed(1)}%</td>
              <td className="num">{(100 * r.accuracy).toFixed(2)}%</td><td className="num">{(100 * r.accuracyLost).toFixed(2)}</td>
              <td>{r.cached ? 'stored' : 'distilled now'}</td><td className="description">{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
