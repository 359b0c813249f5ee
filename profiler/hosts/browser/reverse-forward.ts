/**
 * `adb reverse` through the adb server: the device listens on REMOTE and tunnels each
 * connection back to LOCAL on this computer, so a phone's 127.0.0.1:P reaches the studio
 * without any network between them. adbkit can add and list mappings; removing one is the
 * device service `reverse:killforward:REMOTE` (one OKAY from the server for the stream,
 * then OKAY or FAIL from adbd), sent here over adbkit's transport connection.
 */
import type { DeviceClient } from '@devicefarmer/adbkit';
import { DeviceTransportError } from '../../../native-bridge/errors.ts';

/** An `adb reverse` mapping could not be added or removed. */
export class ReverseForwardError extends DeviceTransportError {
  constructor(deviceId: string, detail: string, options?: { cause?: unknown }) {
    super(deviceId, `device ${deviceId}: ${detail}`, options);
    this.name = 'ReverseForwardError';
  }
}

export async function addReverse(device: DeviceClient, deviceId: string, remote: string, local: string): Promise<void> {
  try {
    await device.reverse(remote, local);
  } catch (e) {
    throw new ReverseForwardError(deviceId, `adb reverse ${remote} ${local} failed: ${(e as Error).message}`, { cause: e });
  }
}

export async function listReverses(device: DeviceClient, deviceId: string): Promise<{ remote: string; local: string }[]> {
  try {
    return (await device.listReverses()).map((r) => ({ remote: r.remote, local: r.local }));
  } catch (e) {
    throw new ReverseForwardError(deviceId, `adb reverse --list failed: ${(e as Error).message}`, { cause: e });
  }
}

export async function removeReverse(device: DeviceClient, deviceId: string, remote: string): Promise<void> {
  try {
    const conn = await device.transport();
    try {
      const request = `reverse:killforward:${remote}`;
      conn.write(Buffer.from(`${Buffer.byteLength(request).toString(16).padStart(4, '0')}${request}`));
      for (let i = 0; i < 2; i++) {
        const reply = await conn.parser.readAscii(4);
        if (reply === 'FAIL') await conn.parser.readError();
        if (reply !== 'OKAY') throw new Error(`unexpected reply ${JSON.stringify(reply)}, expected OKAY or FAIL`);
      }
    } finally {
      conn.end();
    }
  } catch (e) {
    throw new ReverseForwardError(deviceId, `adb reverse --remove ${remote} failed: ${(e as Error).message}`, { cause: e });
  }
}
