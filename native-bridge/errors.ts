// Named errors for device transports. Each names the device and what failed, so the UI
// and CLI can show the message as is and branch on the class (e.g. ask the user to
// confirm an unknown host key, or to accept the USB debugging prompt on the phone).

export class DeviceTransportError extends Error {
  readonly deviceId: string;
  constructor(deviceId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceTransportError';
    this.deviceId = deviceId;
  }
}

/** The device cannot be reached at all (connection refused, no route, server gone). */
export class DeviceUnreachableError extends DeviceTransportError {
  constructor(deviceId: string, detail: string, options?: { cause?: unknown }) {
    super(deviceId, `device ${deviceId} is unreachable: ${detail}`, options);
    this.name = 'DeviceUnreachableError';
  }
}

/** The device refused our credentials, or (ADB) the user has not accepted the debugging key. */
export class DeviceUnauthorizedError extends DeviceTransportError {
  constructor(deviceId: string, detail: string, options?: { cause?: unknown }) {
    super(deviceId, `device ${deviceId} did not authorize this computer: ${detail}`, options);
    this.name = 'DeviceUnauthorizedError';
  }
}

/** The device is known but not answering (ADB `offline`, or the link dropped mid-command). */
export class DeviceOfflineError extends DeviceTransportError {
  constructor(deviceId: string, detail: string, options?: { cause?: unknown }) {
    super(deviceId, `device ${deviceId} is offline: ${detail}`, options);
    this.name = 'DeviceOfflineError';
  }
}

/** No device with this id is attached (ADB serial not listed). */
export class DeviceNotFoundError extends DeviceTransportError {
  constructor(deviceId: string, detail: string) {
    super(deviceId, `device ${deviceId} was not found: ${detail}`);
    this.name = 'DeviceNotFoundError';
  }
}

/** The SSH host presented a key the studio has not seen: the user must confirm `fingerprint`. */
export class HostKeyUnknownError extends DeviceTransportError {
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
  readonly keyType: string;
  constructor(deviceId: string, host: string, port: number, keyType: string, fingerprint: string) {
    super(
      deviceId,
      `device ${deviceId}: the host key of ${host}:${port} is not known (${keyType} ${fingerprint}); ` +
        'confirm that this fingerprint is the device\'s before trusting it',
    );
    this.name = 'HostKeyUnknownError';
    this.host = host;
    this.port = port;
    this.keyType = keyType;
    this.fingerprint = fingerprint;
  }
}

/** The SSH host presented a different key than the one trusted before: never accepted silently. */
export class HostKeyRefusedError extends DeviceTransportError {
  readonly host: string;
  readonly port: number;
  readonly expectedFingerprint: string;
  readonly presentedFingerprint: string;
  constructor(deviceId: string, host: string, port: number, expected: string, presented: string) {
    super(
      deviceId,
      `device ${deviceId}: the host key of ${host}:${port} has changed (trusted ${expected}, presented ${presented}); ` +
        'the connection was refused because the device was reinstalled or someone is intercepting it. ' +
        'If the change is expected, forget the old key and trust the new one',
    );
    this.name = 'HostKeyRefusedError';
    this.host = host;
    this.port = port;
    this.expectedFingerprint = expected;
    this.presentedFingerprint = presented;
  }
}

export class CommandTimeoutError extends DeviceTransportError {
  readonly command: string;
  readonly timeoutMs: number;
  constructor(deviceId: string, command: string, timeoutMs: number) {
    super(deviceId, `device ${deviceId}: command "${command}" did not finish within ${timeoutMs} ms and was killed`);
    this.name = 'CommandTimeoutError';
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

export class CommandAbortedError extends DeviceTransportError {
  readonly command: string;
  constructor(deviceId: string, command: string) {
    super(deviceId, `device ${deviceId}: command "${command}" was cancelled`);
    this.name = 'CommandAbortedError';
    this.command = command;
  }
}

/** A push or pull failed; names the direction and both paths. */
export class TransferError extends DeviceTransportError {
  readonly localPath: string;
  readonly remotePath: string;
  constructor(deviceId: string, direction: 'push' | 'pull', localPath: string, remotePath: string, detail: string, options?: { cause?: unknown }) {
    const what = direction === 'push' ? `push ${localPath} -> ${remotePath}` : `pull ${remotePath} -> ${localPath}`;
    super(deviceId, `device ${deviceId}: ${what} failed: ${detail}`, options);
    this.name = 'TransferError';
    this.localPath = localPath;
    this.remotePath = remotePath;
  }
}

/** The known-hosts file exists but cannot be read as the studio wrote it. */
export class KnownHostsFileError extends Error {
  readonly path: string;
  constructor(path: string, detail: string) {
    super(`known-hosts file ${path} is unusable: ${detail}`);
    this.name = 'KnownHostsFileError';
    this.path = path;
  }
}
