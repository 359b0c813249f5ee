// The studio's own record of trusted SSH host keys: one JSON file under the studio's data
// directory, keyed by host:port, holding fingerprints as OpenSSH prints them
// (`SHA256:` + unpadded base64 of the SHA-256 of the key blob). Kept apart from
// ~/.ssh/known_hosts so the studio never edits the user's own file.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KnownHostsFileError } from './errors.ts';

export const KNOWN_HOSTS_FILE = 'known-hosts.json';

export interface KnownHostEntry {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  trustedAt: string;
}

interface KnownHostsFile {
  version: 1;
  hosts: KnownHostEntry[];
}

/** OpenSSH's SHA256 fingerprint of a public key blob (the wire-format key, not the text line). */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function sshKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('ascii') : 'unknown';
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export class KnownHosts {
  readonly path: string;

  constructor(directory: string) {
    this.path = join(directory, KNOWN_HOSTS_FILE);
  }

  async list(): Promise<KnownHostEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new KnownHostsFileError(this.path, (e as Error).message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new KnownHostsFileError(this.path, `not JSON (${(e as Error).message})`);
    }
    const file = parsed as Partial<KnownHostsFile>;
    if (file.version !== 1 || !Array.isArray(file.hosts)) {
      throw new KnownHostsFileError(this.path, 'expected {"version": 1, "hosts": [...]}');
    }
    for (const h of file.hosts) {
      if (typeof h.host !== 'string' || !Number.isInteger(h.port) || typeof h.fingerprint !== 'string' || !FINGERPRINT.test(h.fingerprint)) {
        throw new KnownHostsFileError(this.path, `bad entry ${JSON.stringify(h)}`);
      }
    }
    return file.hosts;
  }

  async lookup(host: string, port: number): Promise<KnownHostEntry | undefined> {
    return (await this.list()).find((h) => h.host === host && h.port === port);
  }

  /** Trusts `fingerprint` for host:port, replacing any key trusted before (the user confirmed it). */
  async trust(host: string, port: number, fingerprint: string, keyType = 'unknown'): Promise<void> {
    if (!FINGERPRINT.test(fingerprint)) {
      throw new KnownHostsFileError(this.path, `refusing to store "${fingerprint}" for ${host}:${port}: not an OpenSSH SHA256 fingerprint`);
    }
    const hosts = (await this.list()).filter((h) => !(h.host === host && h.port === port));
    hosts.push({ host, port, keyType, fingerprint, trustedAt: new Date().toISOString() });
    await this.save(hosts);
  }

  async forget(host: string, port: number): Promise<boolean> {
    const hosts = await this.list();
    const kept = hosts.filter((h) => !(h.host === host && h.port === port));
    if (kept.length === hosts.length) return false;
    await this.save(kept);
    return true;
  }

  private async save(hosts: KnownHostEntry[]): Promise<void> {
    const file: KnownHostsFile = { version: 1, hosts };
    await mkdir(join(this.path, '..'), { recursive: true });
    // Write then rename, so a crash never leaves a half-written trust store.
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
