/** The status area's state: what is running now, and the last error or message. */
import { useCallback, useState } from 'react';

export interface StatusState {
  running: string[];
  error: string | null;
  message: string | null;
}

export type RunFn = <T>(label: string, fn: () => Promise<T>) => Promise<T | undefined>;

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export function useStatus(): { status: StatusState; run: RunFn; clearError: () => void } {
  const [status, setStatus] = useState<StatusState>({ running: [], error: null, message: null });
  const run = useCallback(async <T,>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setStatus((s) => ({ ...s, running: [...s.running, label], error: null }));
    try {
      const value = await fn();
      setStatus((s) => ({ ...s, message: `${label}: done` }));
      return value;
    } catch (err) {
      setStatus((s) => ({ ...s, error: describeError(err), message: null }));
      return undefined;
    } finally {
      setStatus((s) => {
        const i = s.running.indexOf(label);
        return { ...s, running: i < 0 ? s.running : [...s.running.slice(0, i), ...s.running.slice(i + 1)] };
      });
    }
  }, []) as RunFn;
  const clearError = useCallback(() => setStatus((s) => ({ ...s, error: null })), []);
  return { status, run, clearError };
}
