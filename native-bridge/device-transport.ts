// One interface for every device the studio talks to (an ADB phone, an SSH board, this
// computer): identify it, run a command, move files, clean up. Profilers and deployers
// depend on this interface only, never on a particular transport.

/** What a device says about itself; enough to name a latency profile after it. */
export interface DeviceIdentity {
  /** Transport-qualified id, e.g. `local`, `ssh:root@10.0.0.2:22`, `adb:R58M123ABC`. */
  id: string;
  transport: 'local' | 'ssh' | 'adb';
  /** Product model (`ro.product.model` on Android, board model or hostname elsewhere). */
  model: string;
  /** Operating system and release, e.g. `Android 13` or `Linux 6.1.0`. */
  os: string;
  /** CPU description (model name) when the device reports one. */
  cpu: string;
  /** ABI / machine, e.g. `arm64-v8a`, `aarch64`, `x86_64`. */
  abi: string;
  cores: number;
  memoryBytes: number;
}

export interface ExecOptions {
  /** The command is killed and the call fails with CommandTimeoutError after this long. */
  timeoutMs: number;
  /** Aborting kills the command (where the transport can) and fails with CommandAbortedError. */
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Called as bytes move; `totalBytes` is the file's size. */
export type TransferProgress = (sentBytes: number, totalBytes: number) => void;

export interface DeviceTransport {
  /** The id this transport was opened for (same as DeviceIdentity.id). */
  readonly id: string;
  identify(): Promise<DeviceIdentity>;
  /** Runs a shell command on the device. A non-zero exit is a result, not an error. */
  exec(command: string, opts: ExecOptions): Promise<ExecResult>;
  /** Copies one local file to the device and resolves when it is complete there. */
  push(localPath: string, remotePath: string, onProgress?: TransferProgress): Promise<void>;
  /** Copies one device file to this computer. */
  pull(remotePath: string, localPath: string, onProgress?: TransferProgress): Promise<void>;
  /** Releases connections; the transport is unusable afterwards. */
  close(): Promise<void>;
}
