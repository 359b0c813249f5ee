/** A deploy as it goes: phase and bytes pushed on a bar, then where the bundle now is and how it was checked. */
import type { DeployStatus } from '../../api/deploy-api.ts';
import { formatBytes } from '../format.ts';

const PHASES: Record<string, string> = { push: 'pushing files', verify: 'checking SHA-256 sums', swap: 'swapping in', done: 'done' };

export function DeployProgressView({ job, pollError }: { job: DeployStatus; pollError: string | null }) {
  const pct = job.total > 0 ? Math.min(100, (100 * job.done) / job.total) : 0;
  const r = job.result;
  return (
    <div className="job" data-testid="deploy-progress" data-run-id={job.runId} data-status={job.status} data-phase={job.phase ?? ''} data-done={job.done} data-total={job.total}>
      <div className="job-head">
        <span className={`job-status job-${job.status}`} data-testid="deploy-status">{job.status}</span>
        <span className="job-count" data-testid="deploy-phase">{job.phase !== null ? (PHASES[job.phase] ?? job.phase) : job.status === 'running' || job.status === 'queued' ? 'connecting' : 'nothing pushed'}</span>
        <span className="job-meta" data-testid="deploy-bytes">{formatBytes(job.done)} of {formatBytes(job.total)}</span>
        <span className="job-meta">to {job.deviceId}: {job.remoteRoot}</span>
        <span className="job-meta">run {job.runId}</span>
      </div>
      <div className="job-bar" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done} aria-label="deploy progress">
        <div className="job-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      {job.status === 'running' && job.current !== null && <p className="job-current">File <code>{job.current}</code></p>}
      {r !== null && (
        <dl className="facts" data-testid="deploy-outcome" data-verified-on={r.verifiedOn} data-remote-dir={r.remoteDir}>
          <dt>On the device</dt><dd><code data-testid="deploy-remote-dir">{r.remoteDir}</code> ({r.name})</dd>
          <dt>Checked</dt><dd data-testid="deploy-verified">{r.verifiedOn === 'device' ? 'verified on the device (SHA-256 of every file)' : 'pulled back and verified by the studio (SHA-256 of every file)'}</dd>
          <dt>Previous bundle</dt><dd data-testid="deploy-previous">{r.previous === null ? 'none (first deploy)' : <>kept as <code>{r.previous}</code></>}</dd>
          <dt>Pushed</dt><dd>{r.files} files, {formatBytes(r.bytes)}</dd>
          <dt>Timings</dt><dd data-testid="deploy-timings">push {(r.pushMs / 1000).toFixed(2)} s, verify {(r.verifyMs / 1000).toFixed(2)} s, total {(r.totalMs / 1000).toFixed(2)} s</dd>
        </dl>
      )}
      {job.error !== null && (
        <>
          <p className="form-error" role="alert" data-testid="deploy-error">{job.error.name}: {job.error.message}</p>
          <p className="hint">The device keeps the bundle it had: a new one is swapped in only after every file checks.</p>
        </>
      )}
      {pollError !== null && <p className="form-error" role="alert">Status not updated: {pollError}</p>}
    </div>
  );
}
