/**
 * Which process runs a job. The CLI and the studio share one store, so a run that is
 * 'running' in the store may belong to another live process; it is only taken as
 * interrupted (failed, resumable) when its owner process is gone.
 */
export interface JobOwner { pid: number }

export function currentOwner(): JobOwner {
  return { pid: process.pid };
}

export function ownerAlive(result: unknown): boolean {
  const pid = (result as Partial<JobOwner> | null)?.pid;
  if (typeof pid !== 'number') return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
