/**
 * Devices: this computer (`local`, always listed), SSH boards stored in the devices
 * table, and ADB devices the adb server sees. Adding an SSH device goes through host-key
 * confirmation: the first connection answers HostKeyConfirmation, trustHostKey stores the
 * fingerprint in the studio's known-hosts file under its home, then connects.
 */
import type { Database } from 'better-sqlite3';
import type { AddSshDeviceRequest, DeviceIdentityDto, DeviceSummary, HostKeyConfirmation } from '../api/calibration-api.ts';
import type { DeviceIdentity, DeviceTransport } from '../native-bridge/device-transport.ts';
import { existsSync } from 'node:fs';
import { LocalTransport, LOCAL_DEVICE_ID, LOCAL_JS_DEVICE_ID, parseLocalDeviceId } from '../native-bridge/local-transport.ts';
import { CGROUP_CPU_ROOT } from '../native-bridge/cpu-limit.ts';
import { SshTransport, sshDeviceId } from '../native-bridge/ssh-transport.ts';
import { KnownHosts } from '../native-bridge/known-hosts.ts';
import { AdbDevices } from '../native-bridge/adb-devices.ts';
import { HostKeyRefusedError, HostKeyUnknownError } from '../native-bridge/errors.ts';
import { findDevice, listDevices as listStoredDevices, upsertDevice } from '../profiles/device-repository.ts';
import { DeviceRequestError } from './device-request-error.ts';

export interface DevicesServiceOptions {
  home: string;
  /** The adb server port (default 5037); tests point it at their own server. */
  adbPort?: number;
  /** Skip the adb server entirely (e.g. tests that must not start one). */
  adb?: boolean;
}

interface SshInfo { host: string; port: number; user: string; keyPath?: string; identity?: DeviceIdentityDto }

export interface DevicesService {
  listDevices(): Promise<DeviceSummary[]>;
  /** One device with its identity, asking the device itself. */
  deviceInfo(id: string): Promise<DeviceSummary>;
  addSshDevice(req: AddSshDeviceRequest): Promise<DeviceSummary | HostKeyConfirmation>;
  trustHostKey(req: { host: string; port: number; fingerprint: string; keyType?: string }): Promise<DeviceSummary>;
  /** Opens a transport for a device id; the caller closes it. */
  openTransport(id: string): Promise<DeviceTransport>;
  /** The identity as a profile's device field. */
  identityOf(id: string): Promise<DeviceIdentityDto>;
  /** The adb server's device list (started when not running), e.g. to run a phone's browser. */
  adb(): Promise<AdbDevices>;
}

function dto(i: DeviceIdentity): DeviceIdentityDto {
  return { model: i.model, os: i.os, cpu: i.cpu, abi: i.abi, cores: i.cores, memoryBytes: i.memoryBytes };
}

export function createDevicesService(db: Database, opts: DevicesServiceOptions): DevicesService {
  const knownHosts = new KnownHosts(opts.home);
  let localIdentity: DeviceIdentityDto | undefined;
  // Two pending SSH adds can wait on confirmation for the same host; keep each request's key path.
  const pending = new Map<string, AddSshDeviceRequest>();

  async function local(): Promise<DeviceSummary> {
    if (!localIdentity) {
      const t = new LocalTransport();
      localIdentity = dto(await t.identify());
      await t.close();
      upsertDevice(db, { id: LOCAL_DEVICE_ID, name: 'This computer', kind: 'local', info: { identity: localIdentity } });
    }
    return { id: LOCAL_DEVICE_ID, kind: 'local', name: 'This computer', state: 'online', identity: localIdentity };
  }

  function sshInfo(id: string): SshInfo {
    const d = findDevice(db, id);
    if (!d || d.kind !== 'ssh') throw new DeviceRequestError(`no SSH device "${id}" is stored; add it with addSshDevice (edgetree devices add-ssh HOST --user U)`);
    return d.info as unknown as SshInfo;
  }

  async function connectSsh(req: AddSshDeviceRequest): Promise<SshTransport> {
    return SshTransport.connect({
      host: req.host, port: req.port ?? 22, username: req.user, knownHosts,
      ...(req.keyPath !== undefined && { privateKeyPath: req.keyPath }),
    });
  }

  async function storeSsh(req: AddSshDeviceRequest, transport: SshTransport): Promise<DeviceSummary> {
    const port = req.port ?? 22;
    const identity = dto(await transport.identify());
    const id = sshDeviceId(req.user, req.host, port);
    const info: SshInfo = { host: req.host, port, user: req.user, identity, ...(req.keyPath !== undefined && { keyPath: req.keyPath }) };
    const name = `${identity.model} (${req.user}@${req.host}:${port})`;
    upsertDevice(db, { id, name, kind: 'ssh', info: info as unknown as Record<string, unknown> });
    return { id, kind: 'ssh', name, state: 'online', identity };
  }

  async function adbList(): Promise<{ devices: DeviceSummary[]; problem?: string }> {
    if (opts.adb === false) return { devices: [] };
    let adb: AdbDevices;
    try {
      adb = await AdbDevices.open({ port: opts.adbPort ?? 5037 });
    } catch (e) {
      return { devices: [], problem: (e as Error).message };
    }
    const entries = await adb.list().catch((e: Error) => { throw e; });
    return {
      devices: entries.map((e): DeviceSummary => {
        const state = e.state === 'device' || e.state === 'emulator' ? 'online' : e.state === 'unauthorized' ? 'unauthorized' : e.state === 'offline' ? 'offline' : 'unknown';
        const stored = findDevice(db, e.id);
        const identity = (stored?.info as { identity?: DeviceIdentityDto } | undefined)?.identity;
        const detail = state === 'unauthorized' ? 'accept the USB debugging prompt on the phone, then refresh'
          : state === 'offline' ? 'the device is offline: reconnect its cable or restart adb on it'
            : state === 'unknown' ? `adb reports state "${e.state}"` : undefined;
        return { id: e.id, kind: 'adb', name: identity ? `${identity.model} (${e.serial})` : e.serial, state, ...(detail && { stateDetail: detail }), ...(identity && { identity }) };
      }),
    };
  }

  async function openTransport(id: string): Promise<DeviceTransport> {
    const local = parseLocalDeviceId(id);
    if (local !== null) return new LocalTransport(local.js === true ? { js: true } : local.cpus === null ? {} : { cpus: local.cpus });
    if (id.startsWith('ssh:')) {
      const s = sshInfo(id);
      return connectSsh({ host: s.host, port: s.port, user: s.user, ...(s.keyPath !== undefined && { keyPath: s.keyPath }) });
    }
    if (id.startsWith('adb:')) {
      const adb = await AdbDevices.open({ port: opts.adbPort ?? 5037 });
      return adb.open(id.slice('adb:'.length));
    }
    throw new DeviceRequestError(`device id "${id}" is not "local", "local:js", "local:CPUS" (0.05 to 64), "ssh:USER@HOST:PORT" or "adb:SERIAL"`);
  }

  /** `local:<cpus>`: this computer's identity under a CPU quota. */
  async function heldLocal(id: string, cpus: number): Promise<DeviceSummary> {
    const l = await local();
    const name = `This computer held to ${cpus} CPU (a device slower than the cloud)`;
    if (!findDevice(db, id)) upsertDevice(db, { id, name, kind: 'local', info: { identity: l.identity, cpus } });
    return { ...l, id, name };
  }

  /** `local:js`: this computer's identity, its device hosts on the JavaScript backend. */
  async function jsLocal(): Promise<DeviceSummary> {
    const l = await local();
    const name = 'This computer on TF.js\'s JavaScript backend (~30x slower than WASM: a phone stand-in)';
    if (!findDevice(db, LOCAL_JS_DEVICE_ID)) upsertDevice(db, { id: LOCAL_JS_DEVICE_ID, name, kind: 'local', info: { identity: l.identity, backend: 'cpu' } });
    return { ...l, id: LOCAL_JS_DEVICE_ID, name };
  }

  async function deviceInfo(id: string): Promise<DeviceSummary> {
    if (id === LOCAL_DEVICE_ID) return local();
    const held = parseLocalDeviceId(id);
    if (held?.js === true) return jsLocal();
    if (held !== null && held.cpus !== null) return heldLocal(id, held.cpus);
    const transport = await openTransport(id);
    try {
      const identity = dto(await transport.identify());
      const stored = findDevice(db, id);
      const kind = id.startsWith('ssh:') ? 'ssh' : 'adb';
      const name = stored?.name ?? `${identity.model} (${id.slice(4)})`;
      upsertDevice(db, { id, name, kind, info: { ...(stored?.info ?? {}), identity } });
      return { id, kind, name, state: 'online', identity };
    } finally {
      await transport.close();
    }
  }

  return {
    async listDevices() {
      const out: DeviceSummary[] = [await local()];
      // This computer held to half a CPU where quotas work, and any other share used before.
      const held = new Set(existsSync(`${CGROUP_CPU_ROOT}/cpu.cfs_quota_us`) ? ['local:0.5'] : []);
      for (const d of listStoredDevices(db)) if (d.kind === 'local' && d.id !== LOCAL_DEVICE_ID && d.id !== LOCAL_JS_DEVICE_ID) held.add(d.id);
      out.push(await jsLocal());
      for (const id of held) {
        const p = parseLocalDeviceId(id);
        if (p !== null && p.cpus !== null) out.push(await heldLocal(id, p.cpus));
      }
      for (const d of listStoredDevices(db)) {
        if (d.kind !== 'ssh') continue;
        const info = d.info as unknown as SshInfo;
        out.push({
          id: d.id, kind: 'ssh', name: d.name, state: 'unknown',
          stateDetail: 'not contacted by the list; it is connected when you calibrate or ask for its info',
          ...(info.identity && { identity: info.identity }),
        });
      }
      const adb = await adbList().catch((e: Error) => ({ devices: [] as DeviceSummary[], problem: e.message }));
      out.push(...adb.devices);
      if (adb.problem !== undefined) {
        out.push({ id: 'adb', kind: 'adb', name: 'ADB devices', state: 'unknown', stateDetail: `no ADB devices listed: ${adb.problem}` });
      }
      return out;
    },
    deviceInfo,
    async addSshDevice(req) {
      let transport: SshTransport;
      try {
        transport = await connectSsh(req);
      } catch (e) {
        if (e instanceof HostKeyUnknownError) {
          pending.set(`${e.host}:${e.port}`, req);
          return { needsConfirmation: true, host: e.host, port: e.port, keyType: e.keyType, fingerprint: e.fingerprint };
        }
        throw e;
      }
      try {
        return await storeSsh(req, transport);
      } finally {
        await transport.close();
      }
    },
    async trustHostKey(req) {
      const asked = pending.get(`${req.host}:${req.port}`);
      const stored = listStoredDevices(db).find((d) => d.kind === 'ssh' && (d.info as unknown as SshInfo).host === req.host && (d.info as unknown as SshInfo).port === req.port);
      const add: AddSshDeviceRequest | undefined = asked ?? (stored ? { host: req.host, port: req.port, user: (stored.info as unknown as SshInfo).user, ...((stored.info as unknown as SshInfo).keyPath !== undefined && { keyPath: (stored.info as unknown as SshInfo).keyPath }) } : undefined);
      if (!add) throw new DeviceRequestError(`no SSH device is waiting for confirmation at ${req.host}:${req.port}; add it first (addSshDevice) to see its fingerprint`);
      await knownHosts.trust(req.host, req.port, req.fingerprint, req.keyType ?? 'unknown');
      // Connecting checks the key again: a fingerprint that is not the host's is refused
      // (HostKeyRefusedError explains it) and not kept.
      let transport: SshTransport;
      try {
        transport = await connectSsh(add);
      } catch (e) {
        if (e instanceof HostKeyRefusedError) await knownHosts.forget(req.host, req.port);
        throw e;
      }
      try {
        const summary = await storeSsh(add, transport);
        pending.delete(`${req.host}:${req.port}`);
        return summary;
      } finally {
        await transport.close();
      }
    },
    openTransport,
    async adb() {
      if (opts.adb === false) throw new DeviceRequestError('ADB is turned off in this studio (no adb server port)');
      return AdbDevices.open({ port: opts.adbPort ?? 5037 });
    },
    async identityOf(id) {
      if (parseLocalDeviceId(id) !== null) return (await local()).identity as DeviceIdentityDto;
      const stored = findDevice(db, id);
      const identity = (stored?.info as { identity?: DeviceIdentityDto } | undefined)?.identity;
      return identity ?? ((await deviceInfo(id)).identity as DeviceIdentityDto);
    },
  };
}
