import { act, renderHook } from '@testing-library/react';
import { usePolled } from './usePolled';

/** A load whose answers the test releases one at a time. */
function controlledLoad<T>() {
  const pending: { resolve(v: T): void; reject(e: Error): void }[] = [];
  const load = jest.fn(
    () =>
      new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  );
  return { load, pending };
}

describe('usePolled', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('loads at once, then every interval, and stops when unmounted', async () => {
    const { load, pending } = controlledLoad<number>();
    const { result, unmount } = renderHook(() => usePolled(load, 1000, []));
    expect(result.current.loading).toBe(true);
    await act(async () => pending[0].resolve(1));
    expect(result.current).toMatchObject({ value: 1, loading: false });

    act(() => jest.advanceTimersByTime(1000));
    expect(load).toHaveBeenCalledTimes(2);
    unmount();
    act(() => jest.advanceTimersByTime(5000));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the last value when a refresh fails, with the error beside it', async () => {
    const { load, pending } = controlledLoad<string>();
    const { result } = renderHook(() => usePolled(load, 1000, []));
    await act(async () => pending[0].resolve('first'));
    act(() => jest.advanceTimersByTime(1000));
    await act(async () => pending[1].reject(new Error('upstream down')));
    expect(result.current.value).toBe('first');
    expect(result.current.error?.message).toBe('upstream down');
    expect(result.current.loading).toBe(false);
  });

  it('drops a late answer to a load started before the deps changed', async () => {
    const { load, pending } = controlledLoad<string>();
    const { result, rerender } = renderHook(
      ({ id }) => usePolled(() => load().then(v => `${id}:${v}`), 1000, [id]),
      { initialProps: { id: 'pve1' } },
    );
    rerender({ id: 'pve2' });
    expect(result.current.loading).toBe(true);
    await act(async () => pending[1].resolve('fresh'));
    await act(async () => pending[0].resolve('stale'));
    expect(result.current.value).toBe('pve2:fresh');
  });

  it('loads again at once on retry', async () => {
    const { load, pending } = controlledLoad<number>();
    const { result } = renderHook(() => usePolled(load, 60_000, []));
    await act(async () => pending[0].resolve(1));
    act(() => result.current.retry());
    await act(async () => pending[1].resolve(2));
    expect(result.current.value).toBe(2);
  });
});
