/**
 * Runs a bundle deployed on an Android phone in the phone's own browser, so a stock test
 * phone needs no app (it has no Node for runOnDevice's host). The deployed manifest is read
 * from the phone and the studio's copy of that exact bundle (same manifest SHA-256) is served
 * by a runtime session on this computer's 127.0.0.1:P; `adb reverse tcp:P tcp:P` lets the
 * phone's 127.0.0.1:P reach it (and the cloud's port too when the cloud is on this computer),
 * a VIEW intent opens the page, each timeline the page posts is handed to onLine as it comes,
 * and the adb device list is watched: a phone that leaves ends the run with PhoneRunDroppedError
 * keeping what arrived. The mappings and the session are removed whatever happened.
 */
import { dirname, join } from 'node:path';
import type { AdbDevices } from '../native-bridge/adb-devices.ts';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { addReverse, removeReverse } from '../profiler/hosts/browser/reverse-forward.ts';
import { startRuntimeSession } from '../runtime/hosts/browser/runtime-session-server.ts';
import type { RuntimeSession } from '../runtime/hosts/browser/runtime-session-server.ts';
import type { RuntimeLine } from '../runtime/core/runtime-line.ts';
import type { InferenceTimeline } from '../runtime/core/inference-timeline.ts';
import { watchAdbDevice } from './adb-drop-watch.ts';
import { findBundleCopy, pullRemoteManifest } from './bundle-copy.ts';
import { DeviceBundleError, DeviceRunError } from './device-run-errors.ts';
import { BundleCopyMissingError, PhoneRunDroppedError } from './phone-run-errors.ts';
import { loopbackPort, openInPhoneBrowser } from './phone-browser.ts';
import type { DeviceRunResult } from './run-on-device.ts';

export interface RunOnPhoneBrowserOptions {
  /** The adb server's devices (for the reverse mappings and the drop watch). */
  adb: AdbDevices;
  /** The bundle folder on the phone (e.g. /data/local/tmp/edgetree/current). */
  remoteBundle: string;
  /** Where the studio's copy may be: bundle folders, or folders of bundles such as <home>/bundles. */
  bundlePlaces: readonly string[];
  /** Raw float32 LE NHWC images (runtime/core/image-batch.ts encodeImages). */
  images: Uint8Array;
  /** Inferences to run (image i mod the images given). */
  count: number;
  /** The cloud as the phone reaches it (default the bundle's); on this computer's loopback it is reversed too. */
  cloudUrl?: string;
  token?: string;
  onLine?: (line: RuntimeLine) => void;
  /** Called with the address the phone's browser was given. */
  onOpened?: (phoneUrl: string) => void;
  /** How often the adb device list is checked for a dropped phone (default 500 ms). */
  watchMs?: number;
  /** The whole run is given up after this long (default 10 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function runOnPhoneBrowser(transport: DeviceTransport, opts: RunOnPhoneBrowserOptions): Promise<DeviceRunResult> {
  const started = Date.now();
  const deviceId = transport.id;
  if (!deviceId.startsWith('adb:')) throw new DeviceRunError(deviceId, 'only adb: devices run the bundle in their browser', []);
  const serial = deviceId.slice('adb:'.length);
  const { manifest, sha256 } = await pullRemoteManifest(transport, opts.remoteBundle);
  const copy = await findBundleCopy(sha256, opts.bundlePlaces);
  if (copy === null) throw new BundleCopyMissingError(deviceId, opts.remoteBundle, sha256, opts.bundlePlaces);
  const entry = manifest.runtime.browserEntry;
  if (entry === null) throw new DeviceBundleError(deviceId, opts.remoteBundle, 'carries no browser host (manifest runtime.browserEntry is null); package it with the runtime');

  const lines: RuntimeLine[] = [];
  let session: RuntimeSession | null = null;
  let startSent = false;
  const sendStart = (): void => {
    const start = session?.start() ?? null;
    if (startSent || start === null) return;
    startSent = true;
    lines.push(start);
    opts.onLine?.(start);
  };
  // The page served is the copy's own (packaged with the bundle), so page and bundle match.
  session = await startRuntimeSession({
    bundleDir: copy, pageDir: join(copy, dirname(entry)), images: opts.images, count: opts.count,
    ...(opts.cloudUrl !== undefined && { cloudUrl: opts.cloudUrl }), ...(opts.token !== undefined && { cloudToken: opts.token }),
    onTimeline: (t) => {
      sendStart();
      lines.push(t);
      opts.onLine?.(t);
    },
  });
  const device = opts.adb.client.getDevice(serial);
  const reversed: string[] = [];
  const reverse = async (port: number): Promise<void> => {
    const remote = `tcp:${port}`;
    if (reversed.includes(remote)) return;
    await addReverse(device, deviceId, remote, remote);
    reversed.push(remote);
  };
  const watch = watchAdbDevice(opts.adb, serial, opts.watchMs);
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await reverse(session.port);
    const cloudPort = loopbackPort(opts.cloudUrl ?? manifest.cloud?.url ?? '');
    if (cloudPort !== null) await reverse(cloudPort);
    // The session's address names 127.0.0.1: over the reverse mapping it is the phone's own loopback.
    await openInPhoneBrowser(transport, session.url, opts.signal);
    opts.onOpened?.(session.url);
    let summary;
    try {
      summary = await session.waitUntilDone(AbortSignal.any([watch.signal, timeout, ...(opts.signal ? [opts.signal] : [])]));
    } catch (e) {
      const state = watch.state();
      if (state !== null) throw new PhoneRunDroppedError(deviceId, state, lines);
      if (opts.signal?.aborted) throw new DeviceRunError(deviceId, 'cancelled', lines);
      if (timeout.aborted) throw new DeviceRunError(deviceId, `no summary from the phone's browser within ${timeoutMs} ms (is the page still in front with the screen on?)`, lines);
      throw new DeviceRunError(deviceId, (e as Error).message, lines, { cause: e });
    }
    sendStart();
    lines.push(summary);
    opts.onLine?.(summary);
    return { manifest, lines, timelines: lines.filter((l): l is InferenceTimeline => l.type === 'inference'), exitCode: 0, wallMs: Date.now() - started };
  } finally {
    watch.stop();
    // A phone that dropped took its mappings with it; removing them then fails, harmlessly.
    for (const remote of reversed) await removeReverse(device, deviceId, remote).catch(() => undefined);
    await session.close();
  }
}
