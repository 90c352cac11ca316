import { ProxmoxApiError } from '../api/errors';
import { SnapshotCache } from './SnapshotCache';

const down = () =>
  new ProxmoxApiError('unreachable', 'Cannot reach Proxmox instance "home"', {
    instance: 'home',
  });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SnapshotCache', () => {
  let now = 1_000_000;
  const cache = () => new SnapshotCache({ now: () => now });

  it('shares one upstream read between concurrent callers', async () => {
    const c = cache();
    const d = deferred<string>();
    const load = jest.fn(() => d.promise);
    const all = Promise.all(
      Array.from({ length: 200 }, () => c.get('k', 10_000, load)),
    );
    d.resolve('resources');
    const results = await all;
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(results.map(r => r.value))).toEqual(new Set(['resources']));
  });

  it('serves a value younger than its TTL without reading again', async () => {
    const c = cache();
    const load = jest.fn(async () => now);
    await c.get('k', 10_000, load);
    now += 9_000;
    const second = await c.get('k', 10_000, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(second.fetchedAt).toBe(now - 9_000);
  });

  it('serves a slightly old value at once and refreshes it in the background', async () => {
    const c = cache();
    let n = 0;
    const load = jest.fn(async () => ++n);
    await c.get('k', 10_000, load);
    now += 15_000;
    const served = await c.get('k', 10_000, load);
    expect(served.value).toBe(1);
    await new Promise(r => setImmediate(r));
    expect(load).toHaveBeenCalledTimes(2);
    expect((await c.get('k', 10_000, load)).value).toBe(2);
  });

  it('falls back to the last value with the error, and does not hammer a failing upstream', async () => {
    const c = cache();
    const load = jest.fn(async () => 'v1');
    await c.get('k', 1_000, load);
    now += 60_000;
    const failing = jest.fn(async () => {
      throw down();
    });
    const first = await c.get('k', 1_000, failing);
    expect(first).toMatchObject({ value: 'v1', stale: true });
    expect(first.error?.kind).toBe('unreachable');
    const again = await c.get('k', 1_000, failing);
    expect(again.stale).toBe(true);
    expect(failing).toHaveBeenCalledTimes(1);
    now += 2_000;
    await c.get('k', 1_000, load);
    const recovered = await c.get('k', 1_000, load);
    expect(recovered).toMatchObject({
      value: 'v1',
      stale: false,
      error: undefined,
    });
  });

  it('throws when there is nothing to fall back to', async () => {
    const c = cache();
    await expect(
      c.get('k', 1_000, async () => {
        throw down();
      }),
    ).rejects.toThrow('Cannot reach');
  });

  it('reads again on demand ("fresh") and then throws instead of falling back', async () => {
    const c = cache();
    await c.get('k', 60_000, async () => 'old');
    const fresh = await c.get('k', 60_000, async () => 'new', { fresh: true });
    expect(fresh.value).toBe('new');
    await expect(
      c.get(
        'k',
        60_000,
        async () => {
          throw down();
        },
        { fresh: true },
      ),
    ).rejects.toThrow('Cannot reach');
  });

  it('reads an invalidated value again before serving it', async () => {
    const c = cache();
    let n = 0;
    const load = async () => ++n;
    await c.get('home:guest:100:current', 60_000, load);
    c.invalidate('home:guest:100');
    expect((await c.get('home:guest:100:current', 60_000, load)).value).toBe(2);
  });

  it('keeps at most maxEntries entries', async () => {
    const c = new SnapshotCache({ maxEntries: 10, now: () => now });
    for (let i = 0; i < 50; i++) await c.get(`k${i}`, 1_000, async () => i);
    expect(c.size).toBe(10);
  });
});
