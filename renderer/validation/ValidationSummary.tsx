/**
 * The nn-Meter figures: share of models within ±10% and ±5%, MAPE, RMSE, and the signed
 * bias; when the speed reference was timed on both sides, how much slower the device ran
 * than during calibration.
 */
import type { ValidationReport } from '../../api/calibration-api.ts';
import { speedWords } from '../../latency/speed-reference.ts';

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** within10Pct / within5Pct may come as a share (0..1) or a percentage; shown as a percentage. */
export function asShare(value: number): number {
  return value > 1 ? value / 100 : value;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
}

export function ValidationSummary({ report }: { report: ValidationReport }) {
  const n = report.models.length;
  const w10 = asShare(report.within10Pct);
  const w5 = asShare(report.within5Pct);
  return (
    <dl className="totals" data-testid="validation-summary">
      <div><dt>Within ±10%</dt><dd data-testid="within10" data-value={report.within10Pct}>{pct(w10)}<small> ({Math.round(w10 * n)} of {n})</small></dd></div>
      <div><dt>Within ±5%</dt><dd data-testid="within5" data-value={report.within5Pct}>{pct(w5)}<small> ({Math.round(w5 * n)} of {n})</small></dd></div>
      <div><dt>MAPE</dt><dd data-testid="mape">{report.mapePct.toFixed(1)}%</dd></div>
      <div><dt>RMSE</dt><dd data-testid="rmse">{report.rmseMs.toFixed(3)} ms</dd></div>
      <div><dt>Bias (mean signed error)</dt><dd data-testid="bias">{signed(report.meanErrorPct)}</dd></div>
      {report.medianSpeedFactor !== undefined && (
        <div>
          <dt>Device speed</dt>
          <dd data-testid="device-speed" data-value={report.medianSpeedFactor}>
            {speedWords(report.medianSpeedFactor)}<small> · median over the models, by the speed reference timed beside each</small>
          </dd>
        </div>
      )}
      {report.retimed !== undefined && (
        <div>
          <dt>Slow stretches</dt>
          <dd data-testid="validation-unsteady" data-retimed={report.retimed} data-unsteady={report.unsteady?.length ?? 0}>
            {report.retimed === 0 ? 'none: every model was timed at the calibration\'s speed' : `${report.retimed} extra timings`}
            {(report.unsteady?.length ?? 0) > 0 && <small> · still slow, so their errors say more about the device's load than the profile: {report.unsteady?.join(', ')}</small>}
          </dd>
        </div>
      )}
      <div><dt>Backend</dt><dd>{report.backend}</dd></div>
    </dl>
  );
}
