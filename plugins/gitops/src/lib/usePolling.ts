import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * Loads now and again every `intervalMs` while mounted (delivery moves on
 * its own: a merge reconciles within seconds). Keeps the last answer while
 * the next one loads, so views do not flicker.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: unknown[] = [],
) {
  const state = useAsyncRetry(load, deps);
  const [last, setLast] = useState<T | undefined>(undefined);
  useEffect(() => {
    if (state.value !== undefined) setLast(state.value);
  }, [state.value]);
  useEffect(() => {
    const timer = setInterval(state.retry, intervalMs);
    return () => clearInterval(timer);
  }, [state.retry, intervalMs]);
  return {
    value: state.value ?? last,
    error: state.error,
    loading: state.loading && last === undefined,
  };
}
