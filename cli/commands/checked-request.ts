/** The API's own request check on what the CLI built, its refusal as a usage error (exit 2). */
import { InvalidRequestError } from '../../api/api-error.ts';
import { UsageError } from '../usage-error.ts';

export function checked<T>(command: string, validate: () => T): T {
  try {
    return validate();
  } catch (e) {
    if (e instanceof InvalidRequestError) throw new UsageError(`edgetree ${command}: ${e.message}`);
    throw e;
  }
}
