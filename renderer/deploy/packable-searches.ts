/** The search runs the Deploy screen can package: finished, with a model tree on at least one trace. */
import type { SearchStatus } from '../../api/search-api.ts';

export function packableSearches(runs: readonly SearchStatus[]): SearchStatus[] {
  return runs.filter((r) => r.status === 'done' && r.traces.some((t) => t.tree !== null));
}
