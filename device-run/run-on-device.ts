/**
 * Runs a deployed bundle's Node host on a device over its transport and streams the host's
 * JSON lines back as they come. The host runs in the background on the device writing to a
 * file, and the studio polls that file's new bytes: the same code works over SSH, ADB and
 * locally (transports run a command to its end), and a connection that drops mid-run loses
 * nothing already read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { remoteDirname, shellQuote } from '../native-bridge/shell-quote.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { parseBundleManifest } from '../api/bundle/parse-manifest.ts';
import { parseRuntimeLines } from '../runtime/core/runtime-line.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import { DeviceBundleError, DeviceRunDroppedError, DeviceRunError, DeviceRunFailedError } from './device-run-errors.ts';

export interface RunOnDeviceOptions {
  /** The bundle folder on the device (e.g. <root>/current). */
  remoteBundle: string;
  /** Raw float32 LE NHWC images (runtime/core/image-batch.ts encodeImages). */
  images: Uint8Array;
  count: number;
  cloudUrl?: string;
  token?: string;
  /** The Node binary on the device (default `node`). */
  node?: string;
  /** Called with each line as it arrives. */
  onLine?: (line: RuntimeLine) => void;
  pollMs?: number;
  /** A poll the device does not answer within this long counts as a drop (default 30 s). */
  pollTimeoutMs?: number;
  /** The whole run is given up after this long (default 10 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DeviceRunResult {
  manifest: BundleManifest;
  lines: RuntimeLine[];
  timelines: InferenceTimeline[];
  exitCode: number;
  wallMs: number;
}

const EXEC_MS = 30_000;

/** Reads and checks the manifest of a bundle on the device. */
export async function readRemoteManifest(transport: DeviceTransport, remoteBundle: string): Promise<BundleManifest> {
  const r = await transport.exec(`cat ${shellQuote(`${remoteBundle}/manifest.json`)}`, { timeoutMs: EXEC_MS });
  if (r.exitCode !== 0) throw new DeviceBundleError(transport.id, remoteBundle, `no readable manifest.json (${r.stderr.trim() || `exit ${r.exitCode}`}); deploy one first (edgetree deploy)`);
  return parseBundleManifest(r.stdout, `${transport.id}:${remoteBundle}/manifest.json`);
}

export async function runOnDevice(transport: DeviceTransport, opts: RunOnDeviceOptions): Promise<DeviceRunResult> {
  const started = Date.now();
  const manifest = await readRemoteManifest(transport, opts.remoteBundle);
  const entry = manifest.runtime.nodeEntry;
  if (entry === null) throw new DeviceBundleError(transport.id, opts.remoteBundle, 'carries no Node host (manifest runtime.nodeEntry is null); package it with the runtime');
  // Run folders sit beside the deployed bundles (<root>/runs/), a place deploy made writable.
  const runs = `${remoteDirname(opts.remoteBundle)}/runs`;
  const mk = await transport.exec(`mkdir -p ${shellQuote(runs)} && mktemp -d ${shellQuote(`${runs}/run.XXXXXX`)}`, { timeoutMs: EXEC_MS });
  const dir = mk.stdout.trim();
  if (mk.exitCode !== 0 || dir === '') throw new DeviceRunError(transport.id, `cannot make a run folder (mktemp -d: ${mk.stderr.trim()})`, []);
  const local = await mkdtemp(join(tmpdir(), 'edgetree-run-'));
  const lines: RuntimeLine[] = [];
  try {
    await writeFile(join(local, 'images.f32'), opts.images);
    await transport.push(join(local, 'images.f32'), `${dir}/images.f32`);
    const args = [opts.node ?? 'node', `${opts.remoteBundle}/${entry}`, '--bundle', opts.remoteBundle, '--images', `${dir}/images.f32`, '--count', String(opts.count),
      ...(opts.cloudUrl !== undefined ? ['--cloud', opts.cloudUrl] : []), ...(opts.token !== undefined ? ['--token', opts.token] : [])];
    // The host's pid goes to a file (to stop it), its exit status to rc once it is done. Only the
    // nohup is backgrounded, with no fd of the session left open, so the start command returns at once
    // (`cd && nohup ... &` would background a subshell holding the SSH channel until the host ends).
    const inner = `${args.map(shellQuote).join(' ')} > out.jsonl 2> err.txt & echo $! > pid; wait $!; echo $? > rc`;
    const start = await transport.exec(`cd ${shellQuote(dir)} || exit 1; nohup sh -c ${shellQuote(inner)} > /dev/null 2>&1 < /dev/null &`, { timeoutMs: EXEC_MS });
    if (start.exitCode !== 0) throw new DeviceRunError(transport.id, `cannot start the runtime host (exit ${start.exitCode}): ${start.stderr.trim()}`, []);
    const exitCode = await follow(transport, dir, opts, lines, started);
    if (exitCode !== 0) {
      const err = await transport.exec(`cat ${shellQuote(`${dir}/err.txt`)}`, { timeoutMs: EXEC_MS });
      throw new DeviceRunFailedError(transport.id, exitCode, err.stdout, lines);
    }
    await transport.exec(`rm -rf ${shellQuote(dir)}`, { timeoutMs: EXEC_MS }).catch(() => undefined);
    return { manifest, lines, timelines: lines.filter((l): l is InferenceTimeline => l.type === 'inference'), exitCode, wallMs: Date.now() - started };
  } finally {
    await rm(local, { recursive: true, force: true });
  }
}

/** Polls the host's output file until its exit status appears; returns that status. */
async function follow(transport: DeviceTransport, dir: string, opts: RunOnDeviceOptions, lines: RuntimeLine[], started: number): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  let offset = 0;
  let partial = '';
  for (;;) {
    if (opts.signal?.aborted || Date.now() - started > timeoutMs) {
      await transport.exec(`kill $(cat ${shellQuote(`${dir}/pid`)}) 2>/dev/null`, { timeoutMs: EXEC_MS }).catch(() => undefined);
      throw new DeviceRunError(transport.id, opts.signal?.aborted ? 'cancelled' : `no exit after ${timeoutMs} ms; the host was stopped`, lines);
    }
    let r;
    try {
      // rc first: when it is there, the tail after it has every byte the host wrote.
      r = await answerWithin(transport.exec(`cd ${shellQuote(dir)} && { cat rc 2>/dev/null; echo; tail -c +${offset + 1} out.jsonl 2>/dev/null; }`, { timeoutMs: EXEC_MS }), opts.pollTimeoutMs ?? EXEC_MS);
    } catch (e) {
      throw new DeviceRunDroppedError(transport.id, (e as Error).message, lines, dir, { cause: e });
    }
    const nl = r.stdout.indexOf('\n');
    const rc = r.stdout.slice(0, nl).trim();
    const fresh = r.stdout.slice(nl + 1);
    offset += Buffer.byteLength(fresh);
    const text = partial + fresh;
    const end = text.lastIndexOf('\n');
    partial = text.slice(end + 1);
    for (const line of parseRuntimeLines(text.slice(0, end + 1))) {
      lines.push(line);
      opts.onLine?.(line);
    }
    if (rc !== '') return Number(rc);
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 200));
  }
}

/** A connection that went quiet (a board off Wi-Fi, a closing SSH client) may never answer: give up on it. */
function answerWithin<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to a poll within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
