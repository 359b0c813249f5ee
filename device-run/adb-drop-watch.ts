/**
 * Watches the adb server's device list while a phone's browser runs something: the studio's
 * session server cannot see a phone go (its browser just stops posting), the adb server can.
 */
import type { AdbDevices } from '../native-bridge/adb-devices.ts';

export interface AdbDropWatch {
  /** Aborts when the phone leaves the `device` state (or the adb server stops answering). */
  signal: AbortSignal;
  /** What adb reported instead ('"offline"', 'no longer listed', 'unreachable (...)'); null while the phone is there. */
  state(): string | null;
  stop(): void;
}

export function watchAdbDevice(adb: AdbDevices, serial: string, everyMs = 500): AdbDropWatch {
  const drop = new AbortController();
  let state: string | null = null;
  const gone = (s: string): void => {
    if (drop.signal.aborted) return;
    state = s;
    drop.abort(new Error(`adb reports ${serial} ${s}`));
  };
  const timer = setInterval(() => {
    adb.list().then((list) => {
      const entry = list.find((d) => d.serial === serial);
      if (!entry) gone('no longer listed');
      else if (entry.state !== 'device' && entry.state !== 'emulator') gone(`"${entry.state}"`);
    }, (e: Error) => gone(`unreachable (${e.message})`));
  }, everyMs);
  return { signal: drop.signal, state: () => state, stop: () => clearInterval(timer) };
}
