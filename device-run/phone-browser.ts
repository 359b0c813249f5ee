/**
 * Opening a page in a phone's own browser: the VIEW intent, as a user tapping a link would.
 * No app is installed; the phone's default browser handles http URLs.
 */
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import { DeviceRunError } from './device-run-errors.ts';

export async function openInPhoneBrowser(transport: DeviceTransport, url: string, signal?: AbortSignal): Promise<void> {
  const r = await transport.exec(`am start -a android.intent.action.VIEW -d ${shellQuote(url)}`, { timeoutMs: 20_000, ...(signal !== undefined && { signal }) });
  // am reports some failures ("Error: Activity not started...") with exit status 0.
  const said = `${r.stdout}${r.stderr}`.trim();
  if (r.exitCode !== 0 || /^Error/m.test(said)) throw new DeviceRunError(transport.id, `could not open the runtime page in the phone's browser (am start exited ${r.exitCode}: ${said || 'no output'})`, []);
}

/** The port of a URL that names this computer's loopback (what `adb reverse` must map for the phone), else null. */
export function loopbackPort(url: string): number | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(u.hostname);
  if (!loopback) return null;
  return u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}
