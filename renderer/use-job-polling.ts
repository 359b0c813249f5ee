/**
 * Polls a long job (calibration or validation) about once a second until it ends.
 * The job runs in the services, so a reload picks it up again from its run id.
 */
import { useEffect, useState } from 'react';
import type { JobProgress } from '../api/calibration-api.ts';
import { describeError } from './use-status.ts';

export const POLL_INTERVAL_MS = 1000;

export function isJobFinished(job: JobProgress): boolean {
  return job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';
}

/** `initial` is the answer of the start call; polling stops at a finished status. */
export function useJobPolling<T extends JobProgress>(
  initial: T | null,
  fetchStatus: (runId: string) => Promise<T>,
): { job: T | null; pollError: string | null } {
  const [job, setJob] = useState<T | null>(initial);
  const [pollError, setPollError] = useState<string | null>(null);

  useEffect(() => {
    setJob(initial);
    setPollError(null);
    if (initial === null || isJobFinished(initial)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await fetchStatus(initial.runId);
        if (stopped) return;
        setJob(next);
        setPollError(null);
        if (isJobFinished(next)) return;
      } catch (err) {
        // A dropped poll is retried: the job itself keeps running in the services.
        if (!stopped) setPollError(describeError(err));
      }
      if (!stopped) timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    return () => { stopped = true; clearTimeout(timer); };
  }, [initial, fetchStatus]);

  return { job, pollError };
}
