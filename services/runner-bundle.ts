/** The Node runner bundle for calibrations, built once per process under the studio home. */
import { join } from 'node:path';
import { buildNodeRunner } from '../profiler/hosts/build-node-runner.ts';
import { buildBenchPage } from '../profiler/hosts/browser/build-bench-page.ts';

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

/** The browser bench page for phones, built once per process under the studio home. */
export function benchPageProvider(home: string): () => Promise<string> {
  let built: Promise<string> | undefined;
  return () => {
    built ??= buildBenchPage(join(home, 'bench-page')).catch((e: unknown) => {
      built = undefined;
      throw e;
    });
    return built;
  };
}
