import { isRuntime, RUNTIMES, type Runtime } from '../../latency/runtime.ts';
import { UsageError } from '../usage-error.ts';

/** --runtime, checked against the runtimes the studio knows. */
export function runtimeOption(command: string, value: string | undefined): Runtime | undefined {
  if (value === undefined) return undefined;
  if (!isRuntime(value)) throw new UsageError(`edgetree ${command}: --runtime must be one of ${RUNTIMES.join(', ')}, got "${value}"`);
  return value;
}
