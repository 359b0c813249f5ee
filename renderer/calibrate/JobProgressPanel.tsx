/** A long job's live state: n/total bar, what runs now, the backend, elapsed time, and its error. */
import { useEffect, useState } from 'react';
import type { JobProgress } from '../../api/calibration-api.ts';
import { formatSeconds } from '../format.ts';
import { isJobFinished } from '../use-job-polling.ts';

function elapsedS(job: JobProgress, now: number): number {
  const start = Date.parse(job.createdAt);
  const end = isJobFinished(job) ? Date.parse(job.updatedAt) : now;
  return Math.max(0, (end - start) / 1000);
}

export function JobProgressPanel({ job, backend, pollError, testId }: { job: JobProgress; backend: string | null; pollError: string | null; testId: string }) {
  const [now, setNow] = useState(() => Date.now());
  const running = !isJobFinished(job);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);

  const pct = job.total > 0 ? Math.min(100, (100 * job.done) / job.total) : 0;
  return (
    <div className="job" data-testid={testId} data-status={job.status} data-done={job.done} data-total={job.total}>
      <div className="job-head">
        <span className={`job-status job-${job.status}`} data-testid={`${testId}-status`}>{job.status}</span>
        <span className="job-count" data-testid={`${testId}-count`}>{job.done} / {job.total}</span>
        <span className="job-meta">elapsed {formatSeconds(elapsedS(job, now))}</span>
        {backend !== null && <span className="job-meta" data-testid={`${testId}-backend`}>backend {backend}</span>}
        <span className="job-meta">run {job.runId}</span>
      </div>
      <div className="job-bar" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done} aria-label="job progress">
        <div className="job-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      {running && job.current !== null && <p className="job-current" data-testid={`${testId}-current`}>Running <code>{job.current}</code></p>}
      {job.message !== '' && <p className="job-message">{job.message}</p>}
      {job.error !== null && <p className="form-error" role="alert" data-testid={`${testId}-error`}>{job.error.name}: {job.error.message}</p>}
      {pollError !== null && <p className="form-error" role="alert">Status not updated: {pollError}</p>}
    </div>
  );
}
