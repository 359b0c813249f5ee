/**
 * Whole-model timings taken elsewhere, for `edgetree profiles fit-models`: either a CSV
 * with the columns `model` and `ms` (header names case-insensitive, any order, fields may
 * be quoted, `#` comment lines and blank lines skipped), or a folder of saved
 * benchmark_model / trtexec / onnxruntime_perf_test outputs, one per model, named
 * `<model>.txt|.log|.out`, whose median (or average, when the tool prints no median) is
 * the model's time. Any bad row or file rejects the whole input: nothing partial is returned.
 */
import type { NativeTool } from '../native/tool-output.ts';
import { MeasurementImportError } from './measurement-import-error.ts';
import { splitCsvLine } from './measurements-csv.ts';
import { parseSavedToolOutput, type SavedToolOutput } from './tool-outputs-import.ts';

export interface ModelTimingRow {
  /** The model's name as written: a built-in, validation-set or imported model. */
  model: string;
  /** Measured whole-model latency, ms (> 0, finite). */
  ms: number;
  /** Where the timing came from, for errors: the file, and the line of a CSV row. */
  file: string;
  line: number | null;
  /** The tool whose saved output gave the time; null for a CSV row. */
  tool: NativeTool | null;
}

const COLUMNS = ['model', 'ms'] as const;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function parseModelTimingsCsv(fileName: string, text: string): ModelTimingRow[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const skip = (r: string): boolean => r.trim().length === 0 || r.trimStart().startsWith('#');
  const headerAt = rows.findIndex((r) => !skip(r));
  if (headerAt < 0) throw new MeasurementImportError(fileName, null, null, `the file has no header row (expected ${COLUMNS.join(',')})`);
  const header = splitCsvLine(rows[headerAt]).map((h) => h.toLowerCase());
  for (const name of COLUMNS) {
    if (!header.includes(name)) throw new MeasurementImportError(fileName, headerAt + 1, name, `required column missing (header has: ${header.join(', ')}; needs ${COLUMNS.join(', ')})`);
  }
  const unknown = header.find((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown !== undefined) throw new MeasurementImportError(fileName, headerAt + 1, unknown, `unknown column (the columns are ${COLUMNS.join(', ')})`);
  const modelAt = header.indexOf('model');
  const msAt = header.indexOf('ms');

  const out: ModelTimingRow[] = [];
  const firstLine = new Map<string, number>();
  for (let r = headerAt + 1; r < rows.length; r++) {
    if (skip(rows[r])) continue;
    const line = r + 1;
    const fields = splitCsvLine(rows[r]);
    if (fields.length !== header.length) throw new MeasurementImportError(fileName, line, null, `${fields.length} fields, the header has ${header.length}`);
    const model = fields[modelAt];
    if (model === '') throw new MeasurementImportError(fileName, line, 'model', 'empty; name a built-in, validation-set or imported model');
    const earlier = firstLine.get(model);
    if (earlier !== undefined) throw new MeasurementImportError(fileName, line, 'model', `'${model}' is listed twice (first on line ${earlier}); give each model one time`);
    out.push({ model, ms: positiveMs(fields[msAt], (problem) => new MeasurementImportError(fileName, line, 'ms', problem)), file: fileName, line, tool: null });
    firstLine.set(model, line);
  }
  if (out.length === 0) throw new MeasurementImportError(fileName, null, null, 'the file has a header but no timing rows');
  return out;
}

/** One timing per saved output; `folder` names the files in errors (`folder/name`). */
export function modelTimingsFromToolOutputs(folder: string, files: readonly SavedToolOutput[]): ModelTimingRow[] {
  const out: ModelTimingRow[] = [];
  const byModel = new Map<string, string>();
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${folder}/${file.name}`;
    const model = file.name.replace(/\.(txt|log|out)$/i, '');
    if (model === file.name || model === '') throw new MeasurementImportError(path, null, null, 'saved outputs are named <model>.txt, .log or .out');
    const other = byModel.get(model);
    if (other !== undefined) throw new MeasurementImportError(path, null, null, `'${model}' has two saved outputs (${other} and ${file.name}); keep one`);
    byModel.set(model, file.name);
    const timings = parseSavedToolOutput(path, file.text);
    const ms = positiveMs(String(timings.medianMs), (problem) => new MeasurementImportError(path, null, null, `the tool's ${timings.medianFrom} time ${problem}`));
    out.push({ model, ms, file: path, line: null, tool: timings.tool });
  }
  if (out.length === 0) throw new MeasurementImportError(folder, null, null, 'no saved tool outputs (<model>.txt, .log or .out) in the folder');
  return out;
}

function positiveMs(text: string, error: (problem: string) => Error): number {
  const v = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(v)) throw error(`'${text}' is not a number of ms`);
  if (!(v > 0)) throw error(`must be a positive number of ms, got ${text}`);
  return v;
}
