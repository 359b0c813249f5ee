/** The runtime's files every packaged bundle carries (runtime/ hosts), built once per process under the studio home. */
import { join } from 'node:path';
import type { BundleRuntimeFiles } from '../bundle/build-bundle.ts';
import { runtimeBundleFiles } from '../runtime/hosts/runtime-bundle-files.ts';

export function bundleRuntimeProvider(home: string): () => Promise<BundleRuntimeFiles> {
  let built: Promise<BundleRuntimeFiles> | undefined;
  return () => {
    // Rebuilt by each process, so a bundle always carries the runtime of the code that packaged it.
    built ??= runtimeBundleFiles(join(home, 'runtime-build')).catch((e: unknown) => {
      built = undefined;
      throw e;
    });
    return built;
  };
}
