/**
 * How a search method's outcome runs in emulation (Alg. 2, Table IV): a tree is composed
 * block by block from the rates it meets; a fixed model (branch, Neurosurgeon's cut) runs
 * as it is; DNN surgery re-decides its partition from the rate at each inference's start.
 */
import type { EmulatedMethod } from './emulate.ts';
import { SearchInputError } from './problem.ts';
import type { MethodOutcome } from './search-methods.ts';

export function emulatedMethod(name: string, outcome: MethodOutcome): EmulatedMethod {
  if (outcome.method === 'surgery') return { kind: 'surgery', name };
  if (outcome.fixed !== null) return { kind: 'fixed', name, composition: outcome.fixed };
  if (outcome.tree !== null) return { kind: 'tree', name, tree: outcome.tree };
  throw new SearchInputError(`emulation: the ${outcome.method} outcome "${name}" holds neither a tree nor a fixed model`);
}
