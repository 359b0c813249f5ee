/** The Node runner bundle for calibrations, built once per process under the studio home. */
import { join } from 'node:path';
import { buildNodeRunner } from '../profiler/hosts/build-node-runner.ts';

export function runnerBundleProvider(home: string): () => Promise<string> {
  let built: Promise<string> | undefined;
  return () => {
    // Rebuilt by each process, so the bundle always matches the code that fits its output.
    built ??= buildNodeRunner(join(home, 'runner-bundle')).then((b) => b.dir).catch((e: unknown) => {
      built = undefined;
      throw e;
    });
    return built;
  };
}
