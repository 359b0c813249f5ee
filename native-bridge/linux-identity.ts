// Reads a Linux machine's identity from the text of /proc files. Shared by the local and
// SSH transports (the SSH one fetches the same files with one command), so both describe
// a board the same way.

export interface LinuxIdentityText {
  /** `uname -s`, `uname -r`, `uname -m` joined by spaces, e.g. `Linux 6.1.0 aarch64`. */
  uname: string;
  cpuinfo: string;
  meminfo: string;
  /** /proc/device-tree/model on boards that have one (Raspberry Pi, Jetson), else ''. */
  deviceTreeModel: string;
  hostname: string;
  /** `nproc` output; falls back to counting processors in cpuinfo. */
  nproc: string;
}

export interface LinuxIdentity {
  model: string;
  os: string;
  cpu: string;
  abi: string;
  cores: number;
  memoryBytes: number;
}

/** The first non-numeric value among cpuinfo keys, tried in the order given. */
function cpuinfoField(cpuinfo: string, names: string[]): string {
  const lines = cpuinfo.split('\n');
  for (const name of names) {
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== name) continue;
      const value = line.slice(colon + 1).trim();
      // x86 has numeric "model" and "processor" fields; they name nothing.
      if (value !== '' && !/^\d+$/.test(value)) return value;
    }
  }
  return '';
}

export function parseLinuxIdentity(text: LinuxIdentityText): LinuxIdentity {
  const [kernel = 'Linux', release = '', machine = ''] = text.uname.trim().split(/\s+/);
  const memKb = /^MemTotal:\s+(\d+)\s*kB/m.exec(text.meminfo);
  const counted = text.cpuinfo.split('\n').filter((l) => /^processor\s*:/.test(l)).length;
  const nproc = Number.parseInt(text.nproc.trim(), 10);
  // x86 names the CPU in "model name"; ARM kernels use "Hardware" or "Model" (boards).
  const cpu = cpuinfoField(text.cpuinfo, ['model name', 'hardware', 'cpu model', 'processor']);
  const boardModel = text.deviceTreeModel.replace(/\0/g, '').trim() || cpuinfoField(text.cpuinfo, ['model']);
  return {
    model: boardModel || text.hostname.trim() || 'unknown',
    os: `${kernel} ${release}`.trim(),
    cpu: cpu || machine || 'unknown',
    abi: machine || 'unknown',
    cores: Number.isFinite(nproc) && nproc > 0 ? nproc : Math.max(counted, 1),
    memoryBytes: memKb ? Number(memKb[1]) * 1024 : 0,
  };
}
