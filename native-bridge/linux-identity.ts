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

function cpuinfoField(cpuinfo: string, names: string[]): string {
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (names.includes(key)) {
      const value = line.slice(colon + 1).trim();
      if (value !== '') return value;
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
  const cpu = cpuinfoField(text.cpuinfo, ['model name', 'hardware', 'cpu model', 'processor']).replace(/^\d+$/, '');
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
