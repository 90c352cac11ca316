import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** @public */
export type Polled<T> = {
  value?: T;
  /** The last load's error; `value` then still holds the last good answer. */
  error?: Error;
  /** True from mount (or a change of `deps`) until the first answer. */
  loading: boolean;
  /** Loads again now. */
  retry: () => void;
};

/**
 * Loads now and again every `intervalMs` while mounted, keeping the last
 * value while the next load runs or when it fails, so views never blank out
 * on a refresh. When `deps` change it starts over, and answers to loads
 * started before the change are dropped.
 *
 * @public
 */
export function usePolled<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: DependencyList,
): Polled<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({
    loading: true,
  });
  const generation = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const tick = useCallback(() => {
    const mine = generation.current;
    run().then(
      value => {
        if (mine === generation.current) setState({ value, loading: false });
      },
      error => {
        if (mine === generation.current)
          setState(s => ({ value: s.value, error, loading: false }));
      },
    );
  }, [run]);
  useEffect(() => {
    const counter = generation;
    counter.current++;
    setState({ loading: true });
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => {
      // Answers to loads started before this point are dropped.
      counter.current++;
      clearInterval(timer);
    };
  }, [tick, intervalMs]);
  return { ...state, retry: tick };
}
