/**
 * Measurements taken elsewhere, from CSV: required columns kind, kernel, macc,
 * median_ms; optional p25_ms, p75_ms, min_ms, max_ms, repeats, backend, case_id.
 * Header names are case-insensitive, column order is free, fields may be quoted.
 * An empty kernel means none (FC, BN, a whole model). Missing spreads default to
 * the median, repeats to 1, backend to 'unknown', case_id to `<kind>-k<kernel>-<macc>-line<N>`.
 * Any bad row rejects the whole file: nothing partial is returned.
 */
import { BENCH_KINDS, type BenchKind } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { MeasurementImportError } from './measurement-import-error.ts';

const KINDS: readonly (BenchKind | 'model')[] = [...BENCH_KINDS, 'model'];
const REQUIRED = ['kind', 'kernel', 'macc', 'median_ms'] as const;
const OPTIONAL = ['p25_ms', 'p75_ms', 'min_ms', 'max_ms', 'repeats', 'backend', 'case_id'] as const;

/** Splits one CSV line; double quotes wrap fields containing commas, "" is a quote; fields are trimmed. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

export function importMeasurementsCsv(fileName: string, text: string, measuredAt: string): Measurement[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = rows.findIndex((r) => r.trim().length > 0 && !r.trimStart().startsWith('#'));
  if (headerAt < 0) throw new MeasurementImportError(fileName, null, null, 'the file has no header row');
  const header = splitCsvLine(rows[headerAt]).map((h) => h.toLowerCase());
  const col = new Map<string, number>();
  header.forEach((h, i) => col.set(h, i));
  for (const name of REQUIRED) {
    if (!col.has(name)) throw new MeasurementImportError(fileName, headerAt + 1, name, `required column missing (header has: ${header.join(', ')}; needs ${REQUIRED.join(', ')})`);
  }
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0) throw new MeasurementImportError(fileName, headerAt + 1, unknown[0], `unknown column (known: ${[...known].join(', ')})`);

  const out: Measurement[] = [];
  for (let r = headerAt + 1; r < rows.length; r++) {
    if (rows[r].trim().length === 0 || rows[r].trimStart().startsWith('#')) continue;
    const line = r + 1;
    const fields = splitCsvLine(rows[r]);
    if (fields.length !== header.length) throw new MeasurementImportError(fileName, line, null, `${fields.length} fields, the header has ${header.length}`);
    const raw = (name: string): string | undefined => (col.has(name) ? fields[col.get(name)!] : undefined);
    const fail = (name: string, problem: string): never => {
      throw new MeasurementImportError(fileName, line, name, problem);
    };
    const number = (name: string, opts: { integer?: boolean; positive?: boolean } = {}): number | undefined => {
      const s = raw(name);
      if (s === undefined || s === '') return undefined;
      const v = Number(s);
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) || !Number.isFinite(v)) return fail(name, `'${s}' is not a number`);
      if (v < 0) return fail(name, `${s} is negative`);
      if (opts.integer === true && !Number.isInteger(v)) return fail(name, `${s} is not a whole number`);
      if (opts.positive === true && v === 0) return fail(name, 'must be greater than 0');
      return v;
    };
    const kind = raw('kind')!.toLowerCase();
    if (!(KINDS as readonly string[]).includes(kind)) fail('kind', `unknown kind '${raw('kind')}' (one of ${KINDS.join(', ')})`);
    const kernel = number('kernel', { integer: true, positive: true }) ?? null;
    const macc = number('macc', { integer: true }) ?? fail('macc', 'empty; MACCs are required (0 for pooling, BN, activations)');
    const median = number('median_ms', { positive: true }) ?? fail('median_ms', 'empty; the median time is required');
    const minMs = number('min_ms') ?? median;
    const maxMs = number('max_ms') ?? median;
    const p25 = number('p25_ms') ?? median;
    const p75 = number('p75_ms') ?? median;
    if (minMs > median) fail('min_ms', `${minMs} is above the median ${median}`);
    if (maxMs < median) fail('max_ms', `${maxMs} is below the median ${median}`);
    if (p25 > median) fail('p25_ms', `${p25} is above the median ${median}`);
    if (p75 < median) fail('p75_ms', `${p75} is below the median ${median}`);
    const caseId = raw('case_id') || `${kind}-k${kernel ?? '-'}-${macc}-line${line}`;
    out.push({
      caseId,
      kind: kind as BenchKind | 'model',
      kernel,
      macc,
      medianMs: median,
      p25Ms: p25,
      p75Ms: p75,
      minMs,
      maxMs,
      repeats: number('repeats', { integer: true, positive: true }) ?? 1,
      runner: 'imported-csv',
      backend: raw('backend') || 'unknown',
      measuredAt,
    });
  }
  if (out.length === 0) throw new MeasurementImportError(fileName, null, null, 'the file has a header but no measurement rows');
  return out;
}
