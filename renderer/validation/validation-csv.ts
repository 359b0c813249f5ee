/** The Measured vs estimated tables as CSV: one report's models, and two reports side by side. */
import type { ValidationModelRow, ValidationReport } from '../../api/calibration-api.ts';
import { toCsv } from '../csv.ts';

export function validationCsv(report: ValidationReport): string {
  return toCsv(
    ['model', 'macc', 'measured_ms', 'estimated_ms', 'error_pct', 'device_speed_factor', 'retimes', 'unsteady', 'profile', 'device', 'backend'],
    report.models.map((m) => [m.name, m.macc, m.measuredMs, m.estimatedMs, m.errorPct, m.speedFactor, m.retimes ?? 0, m.unsteady === true ? 'yes' : 'no', report.profileId, report.deviceId, report.backend]),
  );
}

export interface ComparedModel {
  name: string;
  a: ValidationModelRow;
  b: ValidationModelRow;
}

/** The models both reports measured, in the first report's order. */
export function comparedModels(a: ValidationReport, b: ValidationReport): ComparedModel[] {
  const other = new Map(b.models.map((m) => [m.name, m]));
  return a.models.flatMap((m) => {
    const o = other.get(m.name);
    return o === undefined ? [] : [{ name: m.name, a: m, b: o }];
  });
}

export function comparisonCsv(a: ValidationReport, b: ValidationReport): string {
  return toCsv(
    ['model', 'a_profile', 'a_backend', 'a_measured_ms', 'a_estimated_ms', 'a_error_pct', 'b_profile', 'b_backend', 'b_measured_ms', 'b_estimated_ms', 'b_error_pct'],
    comparedModels(a, b).map((c) => [c.name, a.profileId, a.backend, c.a.measuredMs, c.a.estimatedMs, c.a.errorPct, b.profileId, b.backend, c.b.measuredMs, c.b.estimatedMs, c.b.errorPct]),
  );
}
