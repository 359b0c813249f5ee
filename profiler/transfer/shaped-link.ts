/**
 * A shaped test link on this Linux machine: a network namespace for the "device" side
 * joined to the studio by a veth pair on a /30 of 10.77.0.0/16 that this module
 * creates (nothing else is routed), with the device→studio direction shaped by a
 * token bucket (`tc qdisc ... tbf`) on the namespace's end. Needs root. `close()`
 * deletes the namespace (which removes both veth ends) and the host end explicitly.
 *
 * The bucket is kept as small as tbf allows (one full frame, 1600 bytes) so that a transfer is not sped up
 * by a burst allowance: Eq. 6's S/W then holds from the first byte.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ShapedLinkError, ShapedLinkPermissionError } from './errors.ts';

const NAMESPACE_PREFIX = 'edgetree-xfer-';

export interface ShapedLink {
  /** Network namespace of the device side. */
  namespace: string;
  /** Studio end (default namespace) and device end addresses. */
  hostAddress: string;
  deviceAddress: string;
  /** Current tbf rate, Mbit/s; undefined before the first setRate. */
  readonly rateMbps: number | undefined;
  /** (Re)shapes the device→studio direction to `mbps` Mbit/s. */
  setRate(mbps: number): Promise<void>;
  /** Removes the namespace and the veth pair; safe to call twice. */
  close(): Promise<void>;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 15000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const line = `${cmd} ${args.join(' ')}`;
      const detail = `${stderr || err.message}`;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new ShapedLinkError(`"${cmd}" is not installed (needed for "${line}"); install iproute2`));
      if (/Operation not permitted|Permission denied|must be root/i.test(detail)) return reject(new ShapedLinkPermissionError(line, detail));
      reject(new ShapedLinkError(`"${line}" failed: ${detail.trim()}`));
    });
  });
}

/** Is process `pid` alive? (A namespace named for a dead studio process is stale.) */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes namespaces this module created in processes that no longer run (a crash skips close()). */
export async function removeStaleLinks(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']);
  const removed: string[] = [];
  for (const line of out.split('\n')) {
    const name = line.trim().split(/\s+/)[0];
    const m = name?.match(/^edgetree-xfer-(\d+)-[0-9a-f]+$/);
    if (m && !alive(Number(m[1]))) {
      await run('ip', ['netns', 'del', name]);
      removed.push(name);
    }
  }
  return removed;
}

/** Picks a /30 in 10.77.0.0/16 not already on an interface of this machine. */
async function freeSubnet(): Promise<number> {
  const used = await run('ip', ['-o', '-4', 'addr', 'show']);
  for (let tries = 0; tries < 64; tries++) {
    const base = (randomBytes(2).readUInt16BE(0) & 0xfffc);
    const third = base >> 8;
    const fourth = base & 0xff;
    if (!used.includes(`10.77.${third}.`)) return third * 256 + fourth;
  }
  throw new ShapedLinkError('no free /30 in 10.77.0.0/16 for the test link');
}

export async function createShapedLink(): Promise<ShapedLink> {
  await removeStaleLinks().catch(() => []);
  const tag = randomBytes(3).toString('hex');
  const namespace = `${NAMESPACE_PREFIX}${process.pid}-${tag}`;
  const hostIf = `etx${tag}h`;
  const devIf = `etx${tag}d`;
  const base = await freeSubnet();
  const addr = (i: number) => `10.77.${(base + i) >> 8}.${(base + i) & 0xff}`;
  const hostAddress = addr(1);
  const deviceAddress = addr(2);
  let closed = false;
  let rate: number | undefined;
  const close = async () => {
    if (closed) return;
    closed = true;
    await run('ip', ['netns', 'del', namespace]).catch(() => undefined);
    await run('ip', ['link', 'del', hostIf]).catch(() => undefined);
  };
  await run('ip', ['netns', 'add', namespace]);
  try {
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', devIf]);
    await run('ip', ['link', 'set', devIf, 'netns', namespace]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await run('ip', ['netns', 'exec', namespace, 'ip', 'addr', 'add', `${deviceAddress}/30`, 'dev', devIf]);
    await run('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', devIf, 'up']);
    await run('ip', ['netns', 'exec', namespace, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    namespace,
    hostAddress,
    deviceAddress,
    get rateMbps() { return rate; },
    async setRate(mbps: number) {
      if (!(mbps > 0) || !Number.isFinite(mbps)) throw new ShapedLinkError(`bandwidth must be a finite number of Mbit/s > 0, got ${mbps}`);
      const kbit = Math.round(mbps * 1000);
      // A deep queue (2 s at the rate, at least 4 MiB): a drop here makes TCP shrink its window, and on a
      // busy machine a late-growing window shows up as lost throughput rather than as the link's rate.
      const limit = Math.max(4 * 1048576, Math.round((mbps * 1e6) / 8) * 2);
      await run('ip', ['netns', 'exec', namespace, 'tc', 'qdisc', 'replace', 'dev', devIf, 'root', 'tbf',
        'rate', `${kbit}kbit`, 'burst', '1600', 'limit', String(limit)]);
      rate = mbps;
    },
    close,
  };
}
