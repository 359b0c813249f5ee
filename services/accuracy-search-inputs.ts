/**
 * The search's inputs from the accuracy side (accuracy/search-inputs.ts: trained base
 * weights, distilled variants, the store's accuracy memory pool).
 */
import { openSearchInputs } from '../accuracy/search-inputs.ts';
import type { SearchInputsProvider } from './search-inputs-provider.ts';

export const accuracySearchInputs: SearchInputsProvider = (db, model, dataset, opts) => openSearchInputs(db, model, dataset, opts);
