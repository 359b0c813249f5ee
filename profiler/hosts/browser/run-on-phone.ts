/**
 * Runs a bench plan in a phone's own browser, so a stock phone needs no app: starts a bench
 * session on this computer's 127.0.0.1:P, maps the phone's 127.0.0.1:P back to it with
 * `adb reverse tcp:P tcp:P`, opens the page with a VIEW intent (`am start -d URL`), and
 * waits until every case is measured (each stored by onMeasurement as it arrives), the
 * page reports an error, the timeout passes or the caller cancels. The mapping and the
 * session are removed afterwards whatever happened.
 */
import type { AdbDevices } from '../../../native-bridge/adb-devices.ts';
import { shellQuote } from '../../../native-bridge/shell-quote.ts';
import { DeviceTransportError } from '../../../native-bridge/errors.ts';
import type { BenchPlan } from '../../bench-plan.ts';
import type { Measurement } from '../../measurement.ts';
import { startBenchSession } from './bench-session-server.ts';
import { BenchSessionStoppedError } from './bench-session-errors.ts';
import { addReverse, removeReverse } from './reverse-forward.ts';

export interface RunOnPhoneOptions {
  devices: AdbDevices;
  /** adb serial of a device in state `device`. */
  serial: string;
  plan: BenchPlan;
  /** Cases measured before (resuming a run). */
  skipCaseIds?: Iterable<string>;
  onMeasurement(m: Measurement): void | Promise<void>;
  /** Called once the page is opened on the phone, with the address it was given. */
  onOpened?(phoneUrl: string): void;
  /** The whole run; default 30 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Folder of the built page (default profiler/hosts/browser/dist). */
  pageDir?: string;
}

export interface PhoneRunResult {
  /** Every case of the plan, measured now or before. */
  measuredCaseIds: string[];
  /** The address the phone's browser opened (its own 127.0.0.1, reversed to this computer). */
  phoneUrl: string;
}

/** The phone's browser could not be opened (no VIEW handler, intent refused). */
export class PhoneBrowserError extends DeviceTransportError {
  constructor(deviceId: string, detail: string) {
    super(deviceId, `device ${deviceId}: could not open the benchmark page in its browser: ${detail}`);
    this.name = 'PhoneBrowserError';
  }
}

/** The page did not finish within the time allowed. */
export class PhoneBenchTimeoutError extends DeviceTransportError {
  constructor(deviceId: string, timeoutMs: number, measured: number, total: number) {
    super(deviceId, `device ${deviceId}: the browser benchmark did not finish within ${timeoutMs} ms (${measured} of ${total} cases measured and kept; resume to time the rest). Is the page still in front with the screen on?`);
    this.name = 'PhoneBenchTimeoutError';
  }
}

export async function runBenchOnPhone(opts: RunOnPhoneOptions): Promise<PhoneRunResult> {
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const transport = await opts.devices.open(opts.serial);
  const deviceId = transport.id;
  const device = opts.devices.client.getDevice(opts.serial);
  const session = await startBenchSession({ plan: opts.plan, skipCaseIds: opts.skipCaseIds, onMeasurement: opts.onMeasurement, pageDir: opts.pageDir });
  const remote = `tcp:${session.port}`;
  let reversed = false;
  try {
    await addReverse(device, deviceId, remote, remote);
    reversed = true;
    const phoneUrl = `http://127.0.0.1:${session.port}${session.pagePath}`;
    const opened = await transport.exec(`am start -a android.intent.action.VIEW -d ${shellQuote(phoneUrl)}`, { timeoutMs: 20_000, signal: opts.signal });
    // am reports some failures ("Error: Activity not started...") with exit status 0.
    const said = `${opened.stdout}${opened.stderr}`.trim();
    if (opened.exitCode !== 0 || /^Error/m.test(said)) throw new PhoneBrowserError(deviceId, `am start exited ${opened.exitCode}: ${said || '(no output)'}`);
    opts.onOpened?.(phoneUrl);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await session.waitUntilDone(opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout);
    } catch (e) {
      if (e instanceof BenchSessionStoppedError && timeout.aborted && !opts.signal?.aborted) {
        throw new PhoneBenchTimeoutError(deviceId, timeoutMs, session.measuredCaseIds().length, opts.plan.cases.length);
      }
      throw e;
    }
    return { measuredCaseIds: session.measuredCaseIds(), phoneUrl };
  } finally {
    if (reversed) await removeReverse(device, deviceId, remote).catch(() => undefined);
    await session.close();
    await transport.close();
  }
}
