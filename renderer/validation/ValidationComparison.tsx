/**
 * Two validation reports side by side on the models both measured: two profiles, two
 * runtimes, or one profile on two days. Each side's error and its signed bias.
 */
import type { ValidationReport } from '../../api/calibration-api.ts';
import { comparedModels, comparisonCsv } from './validation-csv.ts';
import { saveCsv } from '../csv.ts';

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function within10(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.filter((x) => Math.abs(x) <= 10).length / xs.length;
}

export function ValidationComparison({ a, b, aLabel, bLabel }: { a: ValidationReport; b: ValidationReport; aLabel: string; bLabel: string }) {
  const rows = comparedModels(a, b);
  const side = (errors: number[]) => `${(within10(errors) * 100).toFixed(0)}% within ±10%, bias ${signed(mean(errors))}%`;
  return (
    <section className="comparison" data-testid="validation-comparison" data-models={rows.length}>
      <header className="toolbar">
        <h3>Side by side on {rows.length} models</h3>
        <button type="button" data-testid="comparison-export-csv" disabled={rows.length === 0}
          onClick={() => saveCsv(`validation-${a.profileId}-vs-${b.profileId}.csv`, comparisonCsv(a, b))}>Export CSV</button>
      </header>
      {rows.length === 0 ? <p className="empty">The two runs measured no model in common.</p> : (
        <>
          <dl className="totals">
            <div><dt>A: {aLabel}</dt><dd data-testid="comparison-a">{side(rows.map((r) => r.a.errorPct))}<small> · {a.backend}</small></dd></div>
            <div><dt>B: {bLabel}</dt><dd data-testid="comparison-b">{side(rows.map((r) => r.b.errorPct))}<small> · {b.backend}</small></dd></div>
          </dl>
          <div className="table-wrap">
            <table data-testid="comparison-table">
              <thead>
                <tr><th>model</th><th className="num">A measured</th><th className="num">A estimated</th><th className="num">A error %</th><th className="num">B measured</th><th className="num">B estimated</th><th className="num">B error %</th></tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name} data-model={r.name}>
                    <td>{r.name}</td>
                    <td className="num">{r.a.measuredMs.toFixed(2)}</td>
                    <td className="num">{r.a.estimatedMs.toFixed(2)}</td>
                    <td className={Math.abs(r.a.errorPct) > 10 ? 'num error-cell' : 'num'}>{signed(r.a.errorPct)}</td>
                    <td className="num">{r.b.measuredMs.toFixed(2)}</td>
                    <td className="num">{r.b.estimatedMs.toFixed(2)}</td>
                    <td className={Math.abs(r.b.errorPct) > 10 ? 'num error-cell' : 'num'}>{signed(r.b.errorPct)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
