/**
 * Measurements from saved benchmark_model / trtexec / onnxruntime_perf_test
 * outputs, one file per benchmark case named by its case id (`<caseId>.txt` or
 * `.log`). The case's kind, kernel and MACCs come from the plan it was run for.
 * Any file that is not recognised, does not parse or names no case of the plan
 * rejects the whole import.
 */
import type { BenchCase } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { recogniseToolOutput, ToolOutputError, type NativeTool, type ToolTimings } from '../native/tool-output.ts';
import { toolMeasurement } from '../native/tool-measurement.ts';
import { MeasurementImportError } from './measurement-import-error.ts';

export interface SavedToolOutput {
  /** File name, e.g. `conv-k3-i16x16x64-o128-s1.txt`. */
  name: string;
  text: string;
}

/** The runtime each tool measures, as a profile's backend. */
export const TOOL_BACKEND: Record<NativeTool, string> = { benchmark_model: 'tflite', trtexec: 'tensorrt', onnxruntime_perf_test: 'onnxruntime' };

/**
 * The timings in one saved output, by the parser that recognises it; MeasurementImportError
 * naming `path` (and the line, when the parser names one) when none does or it does not parse.
 */
export function parseSavedToolOutput(path: string, text: string): ToolTimings {
  const parser = recogniseToolOutput(text);
  if (parser === undefined) throw new MeasurementImportError(path, null, null, 'not the output of benchmark_model, trtexec or onnxruntime_perf_test');
  try {
    return parser.parse(text, path);
  } catch (error) {
    if (error instanceof ToolOutputError) throw new MeasurementImportError(path, error.line, null, error.message);
    throw error;
  }
}

export function importToolOutputs(folder: string, files: readonly SavedToolOutput[], cases: readonly BenchCase[], measuredAt: string): Measurement[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const out: Measurement[] = [];
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${folder}/${file.name}`;
    const caseId = file.name.replace(/\.(txt|log|out)$/i, '');
    const bench = byId.get(caseId);
    if (bench === undefined) throw new MeasurementImportError(path, null, null, `'${caseId}' is not a case of the plan (files are named <case id>.txt)`);
    const timings = parseSavedToolOutput(path, file.text);
    out.push(toolMeasurement(timings, bench, { backend: TOOL_BACKEND[timings.tool], measuredAt, requestedRepeats: 1 }));
  }
  if (out.length === 0) throw new MeasurementImportError(folder, null, null, 'no saved tool outputs in the folder');
  return out;
}
