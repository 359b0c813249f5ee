/** The lines the Node host prints in its whole-model mode (--models), and their parser. */
import type { ModelTiming } from '../runner/run-bench-cases.ts';

export type ModelRunnerLine =
  | { type: 'model-start'; backend: string; models: number; /** How runs are summarised (ownTiming's words). */ timing?: string }
  | { type: 'model-timing'; timing: ModelTiming };

export function encodeModelRunnerLine(line: ModelRunnerLine): string {
  return JSON.stringify(line);
}

/** The model-mode lines of a runner's stdout; other text is kept apart for error messages. */
export function parseModelRunnerOutput(stdout: string): { backend: string | null; timings: ModelTiming[]; other: string[] } {
  let backend: string | null = null;
  const timings: ModelTiming[] = [];
  const other: string[] = [];
  for (const text of stdout.split('\n')) {
    if (text.trim() === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      other.push(text);
      continue;
    }
    const l = line as Partial<ModelRunnerLine> | null;
    if (l?.type === 'model-start' && typeof l.backend === 'string') backend = l.backend;
    else if (l?.type === 'model-timing' && typeof l.timing === 'object' && l.timing !== null && Array.isArray(l.timing.layers)) timings.push(l.timing);
    else other.push(text);
  }
  return { backend, timings, other };
}
