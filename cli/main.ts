/**
 * The `edgetree` command line. Every command takes --json and then prints exactly one
 * JSON document on stdout; errors print {"error":{name,message}} there (exit 1), or
 * the message on stderr without --json. Bad usage exits 2.
 */
import { createStudioServices, type StudioServices } from '../services/studio-services.ts';
import { resolveHome } from '../profiles/home.ts';
import type { CliContext } from './cli-context.ts';
import { printJson } from './cli-context.ts';
import { UsageError } from './usage-error.ts';
import { runModels } from './commands/models.ts';
import { runTraces } from './commands/traces.ts';
import { runProfiles } from './commands/profiles.ts';
import { runEstimate } from './commands/estimate.ts';
import { runDevices } from './commands/devices.ts';
import { runCalibrate } from './commands/calibrate.ts';
import { runValidate } from './commands/validate.ts';
import { runCloud } from './commands/cloud.ts';
import { runDatasets } from './commands/datasets.ts';
import { runPackage } from './commands/package.ts';
import { runDeploy } from './commands/deploy.ts';
import { runRun } from './commands/run.ts';
import { runFieldTestCommand } from './commands/field-test.ts';
import { runSearch } from './commands/search.ts';
import { runEmulate } from './commands/emulate.ts';
import { runCompress } from './commands/compress.ts';
import { runAccuracy } from './commands/accuracy.ts';
import { runTrain } from './commands/train.ts';
import { runVariants } from './commands/variants.ts';

export const MAIN_HELP = `edgetree: EdgeTree Studio from the command line

Usage: edgetree <group> <command> [options] [--json]

  models list                         built-in and imported models
  models import FILE                  import a spec JSON, TF.js model.json or ONNX file
  models show NAME|FILE [--dataset D] layers, MACCs, parameters and cut sizes
  models import-weights FILE.onnx --model M --dataset D --width W
                                      trained weights (e.g. from recipes/pytorch) as the base model
  train --model vgg11|alexnet --dataset D [--epochs E] [--width W]
                                      train a base model in TF.js (checkpoints, resumes)
  traces import FILE [--format F]     import a bandwidth trace (mahimahi, time-mbps, csv)
  traces list                         stored traces
  traces show ID                      one trace's statistics
  profiles import FILE                import a device profile JSON as a new version
  profiles export ID [--out FILE]     print or write a stored profile as JSON
  profiles list                       stored profiles
  profiles show ID                    one profile's lines and its calibration fit
  profiles fit-models FILE.csv|DIR (--profile ID | --device ID --name NAME)
                                      a profile fitted to whole-model timings (leave-one-out errors)
  devices list|info ID                this computer (local), SSH and ADB devices
  devices add-ssh HOST --user U [--key PATH] [--port P] [--trust FINGERPRINT]
  calibrate --device ID [--suite quick|full] [--resume RUN]
                                      time micro-benchmarks, fit and store a profile
  validate --device ID --profile ID [--model NAME|FILE ...]
                                      measured versus estimated latency of whole models
  estimate --profile ID [--cloud-profile ID] --model NAME [--dataset D] --cut C --bandwidth MBPS
                                      latency T = T_e + T_t + T_c of one split
  cloud serve --model NAME --dataset D [--weights FILE] [--port P] [--token T]
                                      the cloud offload server (finishes split inferences)
  datasets show fashion-mnist|cifar10|DIR [--data DIR]
                                      images per split (train, val, test), classes, image size
  search --model M --dataset D --profile ID --cloud-profile ID --trace ID... --method tree|branch|...
         [--blocks N --contexts K --episodes E --seed S]
                                      search the model tree (or a baseline) per trace; stored as a run
  emulate --search RUN... --trace ID... [--offsets M]
                                      replay searched models over traces (Table IV)
  compress --model M --dataset D --layer INDEX|ID --technique T [--param K=V ...]
                                      one technique on one layer: distilled block, MACCs, accuracy before/after
  accuracy --model M --dataset D [--composition FILE] [--split val|test] [--images N]
                                      accuracy of the base model or a composition (memory pool)
  variants export --model M --dataset D --technique T... --out DIR
                                      compressed blocks as a job for recipes/pytorch/distill_variants.py
  variants import DIR --model M --dataset D
                                      the blocks the recipe trained, checked, stored and measured

  package --search RUN --out DIR [--trace ID] [--cloud-url URL --cloud-token T]
                                      a search run's model tree as a deploy bundle
  deploy --device ID --bundle DIR [--remote-root PATH]
                                      push, check on the device, switch atomically
  run --device ID [--bundle-remote PATH] [--images N] [--cloud URL --token T]
                                      run the deployed bundle on the device, stream its timelines
  field-test --device local --bundle DIR --trace ID [--inferences N] [--step-ms MS]
                                      the tree over a tc-shaped link following the trace (root)

Every command takes --json (one JSON document on stdout) and --help.
Data lives in $EDGETREE_HOME (default ~/.edgetree).
`;

type Group = (args: string[], ctx: CliContext) => Promise<number>;

const GROUPS: Record<string, Group> = {
  models: runModels,
  traces: runTraces,
  profiles: runProfiles,
  estimate: runEstimate,
  devices: runDevices,
  calibrate: runCalibrate,
  validate: runValidate,
  cloud: runCloud,
  datasets: runDatasets,
  search: runSearch,
  emulate: runEmulate,
  compress: runCompress,
  accuracy: runAccuracy,
  train: runTrain,
  variants: runVariants,
  package: runPackage,
  deploy: runDeploy,
  run: runRun,
  'field-test': runFieldTestCommand,
};

export interface MainIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

const processIo: MainIo = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
  env: process.env,
};

export async function main(argv: string[], io: MainIo = processIo): Promise<number> {
  const json = argv.includes('--json');
  let services: StudioServices | null = null;
  const ctx: CliContext = {
    json,
    out: io.out,
    err: io.err,
    services() {
      // ANDROID_ADB_SERVER_PORT is adb's own variable for a server on another port.
      const adbPort = Number(io.env.ANDROID_ADB_SERVER_PORT ?? '');
      services ??= createStudioServices({ home: resolveHome(io.env), mode: 'cli', ...(Number.isInteger(adbPort) && adbPort > 0 && { adbPort }) });
      return services;
    },
  };
  try {
    const [group, ...rest] = argv;
    if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
      const code = group === undefined ? 2 : 0;
      if (json) printJson(ctx, { help: MAIN_HELP });
      else if (code === 0) io.out(MAIN_HELP);
      else io.err(MAIN_HELP);
      return code;
    }
    const run = GROUPS[group];
    if (!run) throw new UsageError(`edgetree: unknown command "${group}" (see edgetree --help)`);
    return await run(rest, ctx);
  } catch (err) {
    return reportError(ctx, err);
  } finally {
    (services as StudioServices | null)?.close();
  }
}

function reportError(ctx: CliContext, err: unknown): number {
  const e = err instanceof Error ? err : new Error(String(err));
  if (ctx.json) printJson(ctx, { error: { name: e.name, message: e.message } });
  else ctx.err(`edgetree: ${e.message}\n`);
  return e instanceof UsageError ? 2 : 1;
}
