/** One row per layer: the paper's (l, k, s, p, n), output shape, MACC, params, bytes after. */
import type { LayerRow } from '../../api/studio-api.ts';
import { formatBytes, formatInt } from '../format.ts';

const dash = (v: number | string | null) => (v === null ? '–' : String(v));

export function LayerTable({ layers }: { layers: LayerRow[] }) {
  return (
    <div className="table-wrap">
      <table className="layers" data-testid="layer-table">
        <thead>
          <tr>
            <th>#</th><th>id</th><th>type</th><th>kernel</th><th>stride</th><th>padding</th><th>out ch.</th>
            <th>output shape</th><th className="num">MACC</th><th className="num">params</th><th className="num">bytes after</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.index}>
              <td>{l.index}</td><td>{l.id}</td><td>{l.type}</td><td>{dash(l.kernel)}</td><td>{dash(l.stride)}</td>
              <td>{dash(l.padding)}</td><td>{dash(l.outChannels)}</td><td>{l.outputShape.join('×')}</td>
              <td className="num">{formatInt(l.macc)}</td><td className="num">{formatInt(l.params)}</td><td className="num">{formatBytes(l.outputBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
