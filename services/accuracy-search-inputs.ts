/**
 * The search's inputs from the accuracy side (accuracy/search-inputs.ts: trained base
 * weights, distilled variants, the store's accuracy memory pool).
 */
import type { SearchInputsProvider } from './search-inputs-provider.ts';
import { SearchRequestError } from './search-request-error.ts';

// Replaced by accuracy/search-inputs.ts's openSearchInputs as soon as it is in the tree.
export const accuracySearchInputs: SearchInputsProvider = (_db, model, dataset) => Promise.reject(new SearchRequestError(`${model}/${dataset}: the accuracy side (trained weights, distilled variants, accuracy pool: accuracy/search-inputs.ts) is not in this build yet`));
