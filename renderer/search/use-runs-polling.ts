/**
 * Follows several long jobs at once (one search run per method): each unfinished run is
 * asked for its status about once a second until all have finished.
 */
import { useEffect, useState } from 'react';
import type { JobProgress } from '../../api/calibration-api.ts';
import { isJobFinished, POLL_INTERVAL_MS } from '../use-job-polling.ts';
import { describeError } from '../use-status.ts';

export function useRunsPolling<T extends JobProgress>(initial: readonly T[], fetchStatus: (runId: string) => Promise<T>): { runs: T[]; pollError: string | null } {
  const [runs, setRuns] = useState<T[]>([...initial]);
  const [pollError, setPollError] = useState<string | null>(null);
  useEffect(() => {
    setRuns([...initial]);
    if (initial.every(isJobFinished)) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = [...initial];
    const tick = async () => {
      try {
        current = await Promise.all(current.map((r) => (isJobFinished(r) ? r : fetchStatus(r.runId))));
        if (stopped) return;
        setRuns(current);
        setPollError(null);
        if (current.every(isJobFinished)) return;
      } catch (err) {
        if (!stopped) setPollError(describeError(err));
      }
      if (!stopped) timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    return () => { stopped = true; clearTimeout(timer); };
  }, [initial, fetchStatus]);
  return { runs, pollError };
}
