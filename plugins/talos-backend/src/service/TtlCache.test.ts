import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  it('shares one load between concurrent readers and reloads after the TTL', async () => {
    let now = 0;
    const cache = new TtlCache<number>(1000, () => now);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise(r => setTimeout(r, 5));
      return loads;
    };
    expect(
      await Promise.all([
        cache.get('k', load),
        cache.get('k', load),
        cache.get('k', load),
      ]),
    ).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1000;
    expect(await cache.get('k', load)).toBe(2);
    expect(await cache.refresh('k', load)).toBe(3);
  });

  it('does not keep failures', async () => {
    const cache = new TtlCache<number>(1000);
    await expect(
      cache.get('k', async () => Promise.reject(new Error('down'))),
    ).rejects.toThrow('down');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('lets a value choose its own lifetime', async () => {
    let now = 0;
    const cache = new TtlCache<{ ok: boolean }>(
      1000,
      () => now,
      v => (v.ok ? 1000 : 100),
    );
    let calls = 0;
    const load = async () => ({ ok: ++calls > 1 });
    expect(await cache.get('k', load)).toEqual({ ok: false });
    now = 99;
    await cache.get('k', load);
    expect(calls).toBe(1);
    now = 100;
    expect(await cache.get('k', load)).toEqual({ ok: true });
    now = 1099;
    await cache.get('k', load);
    expect(calls).toBe(2);
  });
});
