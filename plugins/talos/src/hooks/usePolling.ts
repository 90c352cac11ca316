import { useCallback, useEffect, useRef, useState } from 'react';

export type Polled<T> = {
  value?: T;
  error?: Error;
  /** True until the first answer (or error). */
  loading: boolean;
  retry: () => void;
};

/**
 * Loads now and again every `intervalMs` while mounted; keeps the last value
 * while a refresh runs, so the page does not flicker.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
  intervalMs = 10_000,
): Polled<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({ loading: true });
  const latest = useRef(load);
  latest.current = load;
  const run = useCallback(() => {
    let active = true;
    latest.current().then(
      value => active && setState({ value, loading: false }),
      error =>
        active && setState(s => ({ value: s.value, error, loading: false })),
    );
    return () => {
      active = false;
    };
  }, []);

  useEffect(() => {
    setState({ loading: true });
    let cancel = run();
    const timer = setInterval(() => {
      cancel();
      cancel = run();
    }, intervalMs);
    return () => {
      cancel();
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, intervalMs, run]);

  return { ...state, retry: () => run() };
}
