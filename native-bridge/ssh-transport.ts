// A Linux board over SSH (ssh2): key or agent authentication, host keys checked against
// the studio's known-hosts store, SFTP for files. An unknown host key fails with
// HostKeyUnknownError carrying the fingerprint; after the user confirms it, the caller
// runs KnownHosts.trust() and connects again. A changed key is always refused.
import { readFile, stat } from 'node:fs/promises';
import { Client } from 'ssh2';
import type { ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import type { DeviceIdentity, DeviceTransport, ExecOptions, ExecResult, TransferProgress } from './device-transport.ts';
import {
  CommandAbortedError, CommandTimeoutError, DeviceOfflineError, DeviceTransportError, DeviceUnauthorizedError,
  DeviceUnreachableError, HostKeyRefusedError, HostKeyUnknownError, TransferError,
} from './errors.ts';
import { sshFingerprint, sshKeyType } from './known-hosts.ts';
import type { KnownHosts } from './known-hosts.ts';
import { parseLinuxIdentity } from './linux-identity.ts';
import { remoteDirname, shellQuote } from './shell-quote.ts';

export interface SshConnectOptions {
  host: string;
  port?: number;
  username: string;
  /** Path to a private key file (OpenSSH or PEM format). */
  privateKeyPath?: string;
  passphrase?: string;
  /** ssh-agent socket; defaults to $SSH_AUTH_SOCK when no key is given. */
  agentSocket?: string;
  knownHosts: KnownHosts;
  /** How long to wait for the connection and handshake (default 10 s). */
  readyTimeoutMs?: number;
}

export function sshDeviceId(username: string, host: string, port: number): string {
  return `ssh:${username}@${host}:${port}`;
}

const PID_MARK = '__EDGETREE_PID__';
const SPLIT = '__EDGETREE_SPLIT__';
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

type HostKeyProblem = HostKeyUnknownError | HostKeyRefusedError;

export class SshTransport implements DeviceTransport {
  readonly id: string;
  private readonly client: Client;
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private lost: Error | undefined;

  private constructor(id: string, client: Client) {
    this.id = id;
    this.client = client;
    client.on('error', (e) => {
      this.lost = e;
    });
    client.on('close', () => {
      this.lost ??= new Error('the connection closed');
    });
  }

  /** Connects and authenticates; throws the named error for each way this can fail. */
  static async connect(opts: SshConnectOptions): Promise<SshTransport> {
    const port = opts.port ?? 22;
    const id = sshDeviceId(opts.username, opts.host, port);
    const trusted = await opts.knownHosts.lookup(opts.host, port);
    const config: ConnectConfig = {
      host: opts.host,
      port,
      username: opts.username,
      readyTimeout: opts.readyTimeoutMs ?? 10_000,
    };
    if (opts.privateKeyPath) {
      try {
        config.privateKey = await readFile(opts.privateKeyPath);
      } catch (e) {
        throw new DeviceUnauthorizedError(id, `cannot read the private key ${opts.privateKeyPath}: ${(e as Error).message}`, { cause: e });
      }
      if (opts.passphrase) config.passphrase = opts.passphrase;
    }
    const agent = opts.agentSocket ?? (opts.privateKeyPath ? undefined : process.env.SSH_AUTH_SOCK);
    if (agent) config.agent = agent;
    if (!config.privateKey && !config.agent) {
      throw new DeviceUnauthorizedError(id, 'no private key was given and no ssh-agent is running (SSH_AUTH_SOCK is unset)');
    }

    let hostKeyProblem: HostKeyProblem | undefined;
    config.hostVerifier = (key: Buffer): boolean => {
      const presented = sshFingerprint(key);
      if (!trusted) {
        hostKeyProblem = new HostKeyUnknownError(id, opts.host, port, sshKeyType(key), presented);
        return false;
      }
      if (trusted.fingerprint !== presented) {
        hostKeyProblem = new HostKeyRefusedError(id, opts.host, port, trusted.fingerprint, presented);
        return false;
      }
      return true;
    };

    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error & { level?: string; code?: string }): void => {
        client.removeListener('ready', onReady);
        client.end();
        if (hostKeyProblem) return reject(hostKeyProblem);
        if (e.level === 'client-authentication') {
          return reject(new DeviceUnauthorizedError(id, `${opts.username} was refused with every offered key (${e.message})`, { cause: e }));
        }
        if (e.level === 'client-timeout') {
          return reject(new DeviceUnreachableError(id, `no SSH handshake within ${config.readyTimeout} ms`, { cause: e }));
        }
        if (e.code && UNREACHABLE_CODES.has(e.code)) {
          return reject(new DeviceUnreachableError(id, `${e.code} connecting to ${opts.host}:${port}`, { cause: e }));
        }
        reject(new DeviceUnreachableError(id, `SSH connection to ${opts.host}:${port} failed: ${e.message}`, { cause: e }));
      };
      const onReady = (): void => {
        client.removeListener('error', onError);
        resolve();
      };
      client.once('ready', onReady);
      client.once('error', onError);
      client.connect(config);
    });
    return new SshTransport(id, client);
  }

  async identify(): Promise<DeviceIdentity> {
    const files = ['uname -s -r -m', 'nproc 2>/dev/null', 'cat /proc/cpuinfo', 'cat /proc/meminfo', 'cat /proc/device-tree/model 2>/dev/null', 'hostname 2>/dev/null || uname -n'];
    const r = await this.exec(files.map((c) => `${c}; echo ${SPLIT}`).join('; '), { timeoutMs: 15_000 });
    const [uname = '', nproc = '', cpuinfo = '', meminfo = '', deviceTreeModel = '', hostname = ''] = r.stdout.split(`${SPLIT}\n`);
    return { id: this.id, transport: 'ssh', ...parseLinuxIdentity({ uname, nproc, cpuinfo, meminfo, deviceTreeModel, hostname }) };
  }

  exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (opts.signal?.aborted) return Promise.reject(new CommandAbortedError(this.id, command));
    if (this.lost) return Promise.reject(this.offline(`the connection was lost (${this.lost.message})`));
    // sshd runs a non-pty command as a session leader, so `$$` is its process group: the
    // wrapper reports it first on stderr, and a timeout kills the whole group from a
    // second channel (a signal request alone reaches only the shell, not its children).
    const wrapped = `printf '${PID_MARK}%s\\n' $$ >&2; ${command}`;
    return new Promise((resolve, reject) => {
      this.client.exec(wrapped, (err, stream) => {
        if (err) return reject(this.offline(`cannot open a channel for "${command}": ${err.message}`, err));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let failure: Error | undefined;
        let exitCode: number | undefined;
        let exitSignal: string | undefined;
        const stop = (why: Error): void => {
          if (failure) return;
          failure = why;
          const pid = /__EDGETREE_PID__(\d+)/.exec(Buffer.concat(errOut).toString('utf8'))?.[1];
          if (pid) this.killGroup(pid);
          trySignal(stream, 'KILL');
          stream.close();
        };
        const timer = setTimeout(() => stop(new CommandTimeoutError(this.id, command, opts.timeoutMs)), opts.timeoutMs);
        const onAbort = (): void => stop(new CommandAbortedError(this.id, command));
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (c: Buffer) => out.push(c));
        stream.stderr.on('data', (c: Buffer) => errOut.push(c));
        stream.on('exit', (code: number | null, signal?: string) => {
          if (code !== null) exitCode = code;
          exitSignal = signal;
        });
        stream.on('close', () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          if (failure) return reject(failure);
          if (exitCode === undefined && exitSignal === undefined) {
            return reject(this.offline(`the connection dropped while "${command}" was running`));
          }
          const stderr = Buffer.concat(errOut).toString('utf8').replace(new RegExp(`^${PID_MARK}\\d+\\n`), '');
          resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode: exitCode ?? 128 + signalNumber(exitSignal) });
        });
      });
    });
  }

  async push(localPath: string, remotePath: string, onProgress?: TransferProgress): Promise<void> {
    let size: number;
    try {
      size = (await stat(localPath)).size;
    } catch (e) {
      throw new TransferError(this.id, 'push', localPath, remotePath, (e as Error).message, { cause: e });
    }
    const mk = await this.exec(`mkdir -p ${shellQuote(remoteDirname(remotePath))}`, { timeoutMs: 15_000 });
    if (mk.exitCode !== 0) throw new TransferError(this.id, 'push', localPath, remotePath, `cannot create the folder: ${mk.stderr.trim()}`);
    const sftp = await this.sftp(localPath, remotePath, 'push');
    await this.untilClosed((done) => sftp.fastPut(localPath, remotePath, { step: (sent) => onProgress?.(sent, size) }, done), (err) => new TransferError(this.id, 'push', localPath, remotePath, err.message, { cause: err }));
    if (size === 0) onProgress?.(0, 0);
  }

  async pull(remotePath: string, localPath: string, onProgress?: TransferProgress): Promise<void> {
    const sftp = await this.sftp(localPath, remotePath, 'pull');
    await this.untilClosed((done) => sftp.fastGet(remotePath, localPath, { step: (got, _chunk, total) => onProgress?.(got, total) }, done), (err) => new TransferError(this.id, 'pull', localPath, remotePath, err.message, { cause: err }));
  }

  async close(): Promise<void> {
    if (this.lost) return;
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
    });
  }

  private sftp(localPath: string, remotePath: string, direction: 'push' | 'pull'): Promise<SFTPWrapper> {
    if (this.lost) return Promise.reject(this.offline(`the connection was lost (${this.lost.message})`));
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp)));
    });
    return this.sftpSession.catch((e: Error) => {
      this.sftpSession = undefined;
      throw new TransferError(this.id, direction, localPath, remotePath, `the device has no SFTP subsystem: ${e.message}`, { cause: e });
    });
  }

  /** Runs an SFTP transfer; rejects if the connection closes first (ssh2's fastPut/fastGet then never call back). */
  private untilClosed(run: (done: (err?: Error | null) => void) => void, failure: (err: Error) => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onClose = (): void => reject(this.offline('the connection closed during a file transfer'));
      this.client.once('close', onClose);
      run((err) => {
        this.client.removeListener('close', onClose);
        if (err) reject(failure(err));
        else resolve();
      });
    });
  }

  private killGroup(pid: string): void {
    this.client.exec(`kill -KILL -- -${pid} 2>/dev/null || kill -KILL ${pid}`, (err, stream) => {
      if (!err) stream.resume().on('close', () => undefined);
    });
  }

  private offline(detail: string, cause?: unknown): DeviceTransportError {
    return new DeviceOfflineError(this.id, detail, { cause });
  }
}

function trySignal(stream: ClientChannel, name: string): void {
  try {
    stream.signal(name);
  } catch {
    // The channel may already be closing.
  }
}

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };
function signalNumber(name: string | undefined): number {
  return (name && SIGNALS[name]) || 0;
}
