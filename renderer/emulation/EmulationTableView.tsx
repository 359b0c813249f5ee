/** Table IV: per trace and overall, each method's mean reward, latency and accuracy, and its latency against surgery. */
import type { EmulationTable } from '../../api/search-api.ts';
import type { MethodSummary } from '../../search/emulate.ts';

function Rows({ trace, rows }: { trace: string; rows: MethodSummary[] }) {
  const surgery = rows.find((r) => r.method === 'surgery');
  return (
    <>
      {rows.map((r, i) => (
        <tr key={`${trace}-${r.method}`} data-testid="emulation-row" data-trace={trace} data-method={r.method} data-reward={r.reward} data-latency={r.latencyMs} data-accuracy={r.accuracy}>
          {i === 0 && <th rowSpan={rows.length} scope="rowgroup">{trace}</th>}
          <td>{r.method}</td>
          <td className="num">{r.inferences}</td>
          <td className="num">{r.reward.toFixed(2)}</td>
          <td className="num">{r.latencyMs.toFixed(2)}</td>
          <td className="num">{(100 * r.accuracy).toFixed(2)}%</td>
          <td className="num">{surgery === undefined ? '-' : `${((100 * (r.latencyMs - surgery.latencyMs)) / surgery.latencyMs).toFixed(1)}%`}</td>
        </tr>
      ))}
    </>
  );
}

export function EmulationTableView({ table }: { table: EmulationTable }) {
  return (
    <div className="table-wrap">
      <table data-testid="emulation-table">
        <thead>
          <tr><th>trace</th><th>method</th><th className="num">inferences</th><th className="num">reward</th><th className="num">latency ms</th><th className="num">accuracy</th><th className="num">latency vs surgery</th></tr>
        </thead>
        <tbody>
          {table.traces.map((t) => <Rows key={t.trace} trace={t.trace} rows={t.methods} />)}
          <Rows trace="overall" rows={table.overall} />
        </tbody>
      </table>
    </div>
  );
}
