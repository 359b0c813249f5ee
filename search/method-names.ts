/** The search methods the studio offers by name (kept apart from search-methods.ts so the API's validators load no TF.js). */
export const SEARCH_METHODS = ['tree', 'branch', 'surgery', 'neurosurgeon', 'random', 'egreedy', 'exhaustive'] as const;
export type SearchMethodName = (typeof SEARCH_METHODS)[number];

export function isSearchMethod(x: unknown): x is SearchMethodName {
  return typeof x === 'string' && (SEARCH_METHODS as readonly string[]).includes(x);
}
