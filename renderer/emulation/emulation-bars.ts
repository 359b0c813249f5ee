/** Chart rows of an emulation table: one row per trace (and "overall"), one column per method. */
import type { EmulationTable } from '../../api/search-api.ts';

export type EmulationMetric = 'latencyMs' | 'accuracy' | 'reward';

export function emulationBars(table: EmulationTable, metric: EmulationMetric): { rows: Record<string, string | number>[]; methods: string[] } {
  const methods = table.overall.map((m) => m.method);
  const scale = metric === 'accuracy' ? 100 : 1;
  const row = (trace: string, ms: EmulationTable['overall']): Record<string, string | number> => {
    const r: Record<string, string | number> = { trace };
    for (const m of ms) r[m.method] = scale * m[metric];
    return r;
  };
  return { rows: [...table.traces.map((t) => row(t.trace, t.methods)), row('overall', table.overall)], methods };
}
