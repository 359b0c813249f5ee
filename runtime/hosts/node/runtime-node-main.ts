/** Entry point of the runtime's Node host (and of its bundled runtime-node.mjs): see runtime-node.ts. */
import { runRuntimeNode } from './runtime-node.ts';

// Writes to a pipe or file are synchronous on Linux, so each timeline is out before the next inference starts.
runRuntimeNode(
  process.argv.slice(2),
  (line) => process.stdout.write(`${line}\n`),
  (message) => process.stderr.write(`${message}\n`),
).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`runtime-node: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
