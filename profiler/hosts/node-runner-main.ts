/** Entry point of the Node runner (and of its bundle): see node-runner.ts. */
import { runNodeRunner } from './node-runner.ts';
import { runNodeModelRunner } from './node-model-runner.ts';

// --models FILE: whole-model timing (validation), see node-model-runner.ts.
const argv = process.argv.slice(2);
const host = argv.includes('--models') ? runNodeModelRunner : runNodeRunner;
// Writes to a pipe or file are synchronous on Linux, so each line is out before the next case starts.
host(
  argv,
  (line) => process.stdout.write(`${line}\n`),
  (message) => process.stderr.write(`${message}\n`),
).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`edgetree-runner: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
