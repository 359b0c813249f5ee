/**
 * Transfer calibration of a real device's link: the studio listens, the device uploads
 * to it over its own network (Wi-Fi, cellular, Ethernet) and the timings are fitted
 * into f(S|W) at the bandwidth W the user states for that link (the link is not
 * shaped here; calibrate it under each condition of interest, one call per W).
 *
 * The device runs upload-sender.mjs, pushed over its transport, so it needs Node
 * (Linux boards, this computer). The device must reach `studioHost`: on an ADB phone
 * run `adb reverse tcp:PORT tcp:PORT` and pass 127.0.0.1 (that path goes over USB, not
 * the radio; a phone without Node is not covered yet).
 */
import type { DeviceTransport } from '../../native-bridge/device-transport.ts';
import { fitTransferLines, type TransferFit } from '../../latency/fit/fit-transfer.ts';
import type { TransferLine } from '../../latency/device-profile.ts';
import { startUploadReceiver } from './upload-receiver.ts';
import { UPLOAD_SENDER_PATH } from './sender-process.ts';
import { TransferRunError } from './errors.ts';
import type { TransferSample } from './transfer-sample.ts';

export interface TransferOverTransportOptions {
  transport: DeviceTransport;
  /** The bandwidth of the device's link while measuring, Mbit/s (as measured or stated by the user). */
  bandwidthMbps: number;
  sizes: number[];
  repeats: number;
  /** Address of this computer as the device reaches it. */
  studioHost: string;
  /** Where the receiver listens here (default: studioHost). */
  listenHost?: string;
  /** Fixed receiver port (e.g. one set up with `adb reverse`); default: any free port. */
  port?: number;
  /** Where the sender script goes on the device (default /tmp/edgetree-upload-sender.mjs). */
  remotePath?: string;
  /** Node on the device (default "node"). */
  remoteNode?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TransferOverTransportResult {
  samples: TransferSample[];
  lines: TransferLine[];
  fit: TransferFit;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function transferOverTransport(opts: TransferOverTransportOptions): Promise<TransferOverTransportResult> {
  if (!(opts.bandwidthMbps > 0)) throw new TransferRunError(`transfer over ${opts.transport.id}: bandwidth ${opts.bandwidthMbps} Mbit/s must be > 0`);
  if (opts.sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new TransferRunError(`transfer over ${opts.transport.id}: sizes must be whole numbers of bytes > 0, got ${opts.sizes.join(', ')}`);
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1) throw new TransferRunError(`transfer over ${opts.transport.id}: repeats must be a whole number >= 1, got ${opts.repeats}`);
  const remotePath = opts.remotePath ?? '/tmp/edgetree-upload-sender.mjs';
  const receiver = await startUploadReceiver({ host: opts.listenHost ?? opts.studioHost, port: opts.port });
  try {
    await opts.transport.push(UPLOAD_SENDER_PATH, remotePath);
    const command = [opts.remoteNode ?? 'node', remotePath, opts.studioHost, String(receiver.port), opts.sizes.join(','), String(opts.repeats)].map(quote).join(' ');
    const r = await opts.transport.exec(command, { timeoutMs: opts.timeoutMs ?? 600000, signal: opts.signal });
    if (r.exitCode !== 0) throw new TransferRunError(`upload sender on ${opts.transport.id} exited with ${r.exitCode}: ${(r.stderr || r.stdout).trim()}`);
    const samples: TransferSample[] = [];
    const counts = new Map<number, number>();
    for (const line of r.stdout.split('\n').filter((l) => l.trim() !== '')) {
      let rec: { bytes: number; ms?: number; error?: string };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        throw new TransferRunError(`upload sender on ${opts.transport.id} printed something that is not a result: ${line.slice(0, 200)}`);
      }
      if (rec.error !== undefined || typeof rec.ms !== 'number') throw new TransferRunError(`upload of ${rec.bytes} bytes from ${opts.transport.id} to ${opts.studioHost}:${receiver.port} failed: ${rec.error ?? line}`);
      const repeat = counts.get(rec.bytes) ?? 0;
      counts.set(rec.bytes, repeat + 1);
      samples.push({ bandwidthMbps: opts.bandwidthMbps, bytes: rec.bytes, ms: rec.ms, repeat, link: `transport:${opts.transport.id}`, measuredAt: new Date().toISOString() });
    }
    if (samples.length !== opts.sizes.length * opts.repeats) throw new TransferRunError(`upload sender on ${opts.transport.id} reported ${samples.length} of ${opts.sizes.length * opts.repeats} uploads`);
    const fit = fitTransferLines(samples);
    return { samples, lines: fit.lines, fit };
  } finally {
    await opts.transport.exec(`rm -f ${quote(remotePath)}`, { timeoutMs: 10000 }).catch(() => undefined);
    await receiver.close();
  }
}
