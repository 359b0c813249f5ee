/**
 * The deploy folder on a device:
 *   <root>/current   -> bundles/<name>   the bundle the runtime loads
 *   <root>/previous  -> bundles/<name>   the one it replaced (rollback)
 *   <root>/bundles/<name>/               complete, verified bundles (current and previous only)
 *   <root>/staging/<name>/               a push in progress
 */
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import { shellQuote } from '../native-bridge/shell-quote.ts';
import { DeployError } from './deploy-error.ts';

export interface RemoteLayout {
  root: string;
  current: string;
  previous: string;
  bundles: string;
  staging: string;
}

export function remoteLayout(root: string): RemoteLayout {
  const r = root.replace(/\/+$/, '');
  return { root: r, current: `${r}/current`, previous: `${r}/previous`, bundles: `${r}/bundles`, staging: `${r}/staging` };
}

/** Runs a command that must succeed; a non-zero exit is a DeployError with what it said. */
export async function runChecked(transport: DeviceTransport, command: string, what: string, timeoutMs: number): Promise<string> {
  const r = await transport.exec(command, { timeoutMs });
  if (r.exitCode !== 0) throw new DeployError(transport.id, `cannot ${what} (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** The bundle name a link under the root points at (bundles/<name>), or null when there is none. */
export async function currentName(transport: DeviceTransport, link: string): Promise<string | null> {
  const r = await transport.exec(`readlink ${shellQuote(link)}`, { timeoutMs: 30_000 });
  const target = r.stdout.trim();
  if (r.exitCode !== 0 || target === '') return null;
  return target.replace(/^bundles\//, '');
}
