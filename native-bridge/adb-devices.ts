// Lists and tracks the devices the adb server sees, and opens a transport to one. A device
// that is `unauthorized` (the user has not accepted this computer's key on the phone) or
// `offline` is reported as such, with the matching named error when opened.
import type { Client } from '@devicefarmer/adbkit';
import { AdbTransport, adbDeviceId } from './adb-transport.ts';
import { DeviceNotFoundError, DeviceOfflineError, DeviceTransportError, DeviceUnauthorizedError, DeviceUnreachableError } from './errors.ts';
import { openAdbServer } from './adb-server.ts';
import type { AdbServerOptions } from './adb-server.ts';

/** States as `adb devices` prints them; others (`recovery`, `sideload`...) pass through. */
export type AdbDeviceState = 'device' | 'unauthorized' | 'offline' | 'emulator' | 'unknown' | (string & {});

export interface AdbDeviceEntry {
  /** Studio device id, `adb:<serial>`. */
  id: string;
  serial: string;
  state: AdbDeviceState;
}

export interface AdbDeviceTracking {
  stop(): void;
}

export class AdbDevices {
  private constructor(
    readonly client: Client,
    readonly port: number,
  ) {}

  /** Connects to the adb server, starting it when it is not running. */
  static async open(opts: AdbServerOptions = {}): Promise<AdbDevices> {
    const { client, port } = await openAdbServer(opts);
    return new AdbDevices(client, port);
  }

  async list(): Promise<AdbDeviceEntry[]> {
    try {
      const devices = await this.client.listDevices();
      return devices.map((d) => ({ id: adbDeviceId(d.id), serial: d.id, state: d.type }));
    } catch (e) {
      throw new DeviceUnreachableError(`adb-server:${this.port}`, `cannot list devices: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Calls onChange with the full list now and whenever a device appears, goes or changes state. */
  async track(onChange: (devices: AdbDeviceEntry[]) => void, onError?: (e: Error) => void): Promise<AdbDeviceTracking> {
    const tracker = await this.client.trackDevices();
    const current = new Map<string, AdbDeviceEntry>();
    const emit = (): void => onChange([...current.values()].sort((a, b) => a.serial.localeCompare(b.serial)));
    tracker.on('changeSet', (changes: { added: Array<{ id: string; type: string }>; changed: Array<{ id: string; type: string }>; removed: Array<{ id: string }> }) => {
      for (const d of [...changes.added, ...changes.changed]) current.set(d.id, { id: adbDeviceId(d.id), serial: d.id, state: d.type });
      for (const d of changes.removed) current.delete(d.id);
      emit();
    });
    tracker.on('error', (e: Error) => onError?.(new DeviceUnreachableError(`adb-server:${this.port}`, `device tracking stopped: ${e.message}`, { cause: e })));
    // The tracker may have delivered its first list before these listeners existed, so
    // seed from a plain listing; later change sets are diffs against the same state.
    for (const d of await this.list()) if (!current.has(d.serial)) current.set(d.serial, d);
    emit();
    return { stop: () => tracker.end() };
  }

  /** `adb connect host:port` (ADB over TCP/IP); returns the serial the server gives it. */
  async connect(host: string, port: number): Promise<string> {
    try {
      return await this.client.connect(host, port);
    } catch (e) {
      // adb reports a device that has not accepted our key as a failed connect, yet lists it
      // as `unauthorized`: keep it, so the user sees it and open() explains what to do.
      if (/failed to authenticate/i.test((e as Error).message)) return `${host}:${port}`;
      throw new DeviceUnreachableError(adbDeviceId(`${host}:${port}`), `adb could not connect: ${(e as Error).message}`, { cause: e });
    }
  }

  async disconnect(host: string, port: number): Promise<void> {
    try {
      await this.client.disconnect(host, port);
    } catch {
      // Already gone.
    }
  }

  /** Waits until the serial is listed in `state`; fails naming the state it was last seen in. */
  async waitFor(serial: string, state: AdbDeviceState, timeoutMs: number): Promise<AdbDeviceEntry> {
    const deadline = Date.now() + timeoutMs;
    let last: AdbDeviceEntry | undefined;
    for (;;) {
      last = (await this.list()).find((d) => d.serial === serial);
      if (last?.state === state) return last;
      if (Date.now() > deadline) {
        throw new DeviceTransportError(adbDeviceId(serial), `device ${adbDeviceId(serial)} did not become "${state}" within ${timeoutMs} ms (last seen: ${last?.state ?? 'not listed'})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Opens a transport to a device that is ready; unauthorized/offline/missing ones fail by name. */
  async open(serial: string): Promise<AdbTransport> {
    const entry = (await this.list()).find((d) => d.serial === serial);
    const id = adbDeviceId(serial);
    if (!entry) throw new DeviceNotFoundError(id, `adb server on port ${this.port} does not list it`);
    assertReady(entry);
    return new AdbTransport(this.client, serial, () => this.stateOf(serial));
  }

  private async stateOf(serial: string): Promise<AdbDeviceState | undefined> {
    try {
      return (await this.list()).find((d) => d.serial === serial)?.state;
    } catch {
      return undefined;
    }
  }
}

export function assertReady(entry: AdbDeviceEntry): void {
  if (entry.state === 'device' || entry.state === 'emulator') return;
  if (entry.state === 'unauthorized') {
    throw new DeviceUnauthorizedError(entry.id, 'the phone has not accepted this computer\'s debugging key; unlock it and tap "Allow" on the USB debugging prompt');
  }
  if (entry.state === 'offline') {
    throw new DeviceOfflineError(entry.id, 'adb lists it as offline; reconnect the cable or restart adbd on the device');
  }
  throw new DeviceOfflineError(entry.id, `adb lists it in state "${entry.state}", not ready for commands`);
}
