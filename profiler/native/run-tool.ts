/**
 * Runs a native benchmark tool on a device over its transport, one plan case at a
 * time: export the case (TFLite for benchmark_model, ONNX for trtexec and
 * onnxruntime_perf_test), push it, run the tool the user pointed to, parse its
 * output and yield the measurement, so the caller stores each as it arrives.
 * A missing tool, a crash or an unreadable output raises NativeToolError naming
 * the tool, the device and the case.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTransport } from '../../native-bridge/device-transport.ts';
import { shellQuote } from '../../native-bridge/shell-quote.ts';
import type { BenchCase, BenchPlan } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { exportOnnx } from './onnx-export.ts';
import { exportTflite } from './tflite-export.ts';
import { parserFor, ToolOutputError } from './tool-output.ts';
import type { NativeTool } from './tool-output.ts';
import { toolMeasurement } from './tool-measurement.ts';

export class NativeToolError extends Error {
  constructor(tool: NativeTool, device: string, problem: string) {
    super(`${tool} on device ${device}: ${problem}`);
    this.name = 'NativeToolError';
  }
}

export interface NativeToolOptions {
  tool: NativeTool;
  /** The tool's path on the device, as the user gave it. */
  toolPath: string;
  /** Where models are pushed; default /data/local/tmp/edgetree on ADB devices, /tmp/edgetree-bench elsewhere. */
  remoteDir?: string;
  threads?: number;
  /** Per case; default 120 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Recorded as the measurements' backend; default the tool's runtime name. */
  backend?: string;
  /** Case ids already measured (a resumed run): skipped. */
  skip?: ReadonlySet<string>;
  /** Called before each case is run, with the tool's command line on the device. */
  onCase?(bench: BenchCase, command: string): void;
}

export function defaultRemoteDir(transport: DeviceTransport): string {
  return transport.id.startsWith('adb:') ? '/data/local/tmp/edgetree' : '/tmp/edgetree-bench';
}

/** The tool's command line for one model file. */
export function toolCommand(tool: NativeTool, toolPath: string, modelPath: string, plan: Pick<BenchPlan, 'repeats' | 'warmup'>, threads: number): string {
  const exe = shellQuote(toolPath);
  const file = shellQuote(modelPath);
  switch (tool) {
    case 'benchmark_model':
      return `${exe} --graph=${file} --num_runs=${plan.repeats} --warmup_runs=${plan.warmup} --num_threads=${threads}`;
    case 'trtexec':
      return `${exe} --onnx=${file} --avgRuns=${plan.repeats} --warmUp=0 --iterations=${plan.repeats}`;
    case 'onnxruntime_perf_test':
      return `${exe} -r ${plan.repeats} -x ${threads} ${file}`;
  }
}

const DEFAULT_BACKEND: Record<NativeTool, string> = { benchmark_model: 'tflite', trtexec: 'tensorrt', onnxruntime_perf_test: 'onnxruntime (cpu)' };

function exportCase(tool: NativeTool, bench: BenchCase): { bytes: Uint8Array; ext: string } {
  return tool === 'benchmark_model' ? { bytes: exportTflite(bench.spec), ext: 'tflite' } : { bytes: exportOnnx(bench.spec), ext: 'onnx' };
}

function tail(text: string): string {
  const t = text.trim();
  return t.length > 400 ? `...${t.slice(-400)}` : t;
}

export async function* runNativeTool(transport: DeviceTransport, plan: BenchPlan, opts: NativeToolOptions): AsyncGenerator<Measurement> {
  const { tool, toolPath } = opts;
  const device = transport.id;
  const remoteDir = opts.remoteDir ?? defaultRemoteDir(transport);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const exec = (command: string) => transport.exec(command, { timeoutMs, signal: opts.signal });
  const check = await exec(`test -x ${shellQuote(toolPath)} || command -v ${shellQuote(toolPath)} >/dev/null`);
  if (check.exitCode !== 0) throw new NativeToolError(tool, device, `no executable at '${toolPath}' (push the tool there or give its path)`);
  const mkdir = await exec(`mkdir -p ${shellQuote(remoteDir)}`);
  if (mkdir.exitCode !== 0) throw new NativeToolError(tool, device, `cannot create '${remoteDir}': ${tail(mkdir.stderr)}`);
  const localDir = await mkdtemp(join(tmpdir(), 'edgetree-native-'));
  try {
    for (const bench of plan.cases) {
      if (opts.skip?.has(bench.id)) continue;
      const { bytes, ext } = exportCase(tool, bench);
      const local = join(localDir, `${bench.id}.${ext}`);
      const remote = `${remoteDir}/${bench.id}.${ext}`;
      await writeFile(local, bytes);
      await transport.push(local, remote);
      const command = toolCommand(tool, toolPath, remote, plan, opts.threads ?? 1);
      opts.onCase?.(bench, command);
      const result = await exec(command);
      await exec(`rm -f ${shellQuote(remote)}`);
      const where = `case ${bench.id}`;
      if (result.exitCode !== 0) {
        throw new NativeToolError(tool, device, `${where}: exited with code ${result.exitCode}${result.exitCode >= 128 ? ` (signal ${result.exitCode - 128})` : ''}: ${tail(result.stderr || result.stdout)}`);
      }
      // benchmark_model logs to stderr on some builds: read both.
      const text = `${result.stdout}\n${result.stderr}`;
      let timings;
      try {
        timings = parserFor(tool).parse(text, `${device} ${where}`);
      } catch (error) {
        if (error instanceof ToolOutputError) throw new NativeToolError(tool, device, error.message);
        throw error;
      }
      yield toolMeasurement(timings, bench, { backend: opts.backend ?? DEFAULT_BACKEND[tool], measuredAt: new Date().toISOString(), requestedRepeats: plan.repeats });
    }
  } finally {
    await rm(localDir, { recursive: true, force: true });
  }
}
