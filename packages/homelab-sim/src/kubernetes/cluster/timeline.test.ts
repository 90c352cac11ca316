import { backoffAfter, crashLoopAt, runStart } from './crashLoop';
import { parseCron, previousRuns } from './cron';

const RUN = 3_000;

describe('crash loop back-off', () => {
  it('doubles from 10 s and caps at 5 minutes, like the kubelet', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffAfter)).toEqual([
      10, 20, 40, 80, 160, 300, 300, 300,
    ]);
  });

  it('is running during a run and waiting in between', () => {
    const first = 1_000_000;
    expect(crashLoopAt(first, RUN, first - 1)).toEqual({ restartCount: 0 });
    expect(crashLoopAt(first, RUN, first + 1_000)).toMatchObject({
      restartCount: 0,
      running: { startedAt: first },
    });
    // Run 0 exited after 3 s; the kubelet waits 10 s before run 1.
    const waiting = crashLoopAt(first, RUN, first + 5_000);
    expect(waiting).toMatchObject({
      restartCount: 0,
      backoffSeconds: 10,
      lastTerminated: { startedAt: first, finishedAt: first + RUN },
      nextStartAt: first + RUN + 10_000,
    });
    expect(waiting.running).toBeUndefined();
    const second = crashLoopAt(first, RUN, first + RUN + 10_000 + 1);
    expect(second).toMatchObject({
      restartCount: 1,
      running: { startedAt: first + RUN + 10_000 },
      lastTerminated: { startedAt: first, finishedAt: first + RUN },
    });
  });

  it('keeps counting restarts as time goes on', () => {
    const first = 0;
    let previous = -1;
    for (const hours of [0.5, 1, 2, 6, 24]) {
      const state = crashLoopAt(first, RUN, hours * 3_600_000);
      expect(state.restartCount).toBeGreaterThan(previous);
      previous = state.restartCount;
    }
    // After the cap: one restart every 5 min + run time.
    const a = crashLoopAt(first, RUN, 10 * 3_600_000).restartCount;
    const b = crashLoopAt(first, RUN, 11 * 3_600_000).restartCount;
    expect(b - a).toBe(Math.round(3_600_000 / (300_000 + RUN)));
  });

  it('agrees with runStart for every run', () => {
    for (let i = 0; i < 30; i++) {
      const start = runStart(0, RUN, i);
      expect(crashLoopAt(0, RUN, start + 1)).toMatchObject({
        restartCount: i,
        running: { startedAt: start },
      });
    }
  });
});

describe('cron schedules', () => {
  const at = (iso: string) => Date.parse(iso);

  it('finds the last runs of an hourly schedule', () => {
    const runs = previousRuns(
      parseCron('0 * * * *'),
      at('2026-11-25T10:17:30Z'),
      3,
    );
    expect(runs.map(r => new Date(r).toISOString())).toEqual([
      '2026-11-25T10:00:00.000Z',
      '2026-11-25T09:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ]);
  });

  it('supports steps, ranges, lists and macros', () => {
    const s = parseCron('*/15 8-10 * * 1,3');
    expect(s.matches(at('2026-11-25T08:45:00Z'))).toBe(true); // a Wednesday
    expect(s.matches(at('2026-11-25T08:50:00Z'))).toBe(false);
    expect(s.matches(at('2026-11-26T08:45:00Z'))).toBe(false); // Thursday
    expect(parseCron('@daily').matches(at('2026-11-25T00:00:00Z'))).toBe(true);
    expect(parseCron('0 0 * * 7').matches(at('2026-11-29T00:00:00Z'))).toBe(
      true,
    ); // Sunday as 7
    expect(() => parseCron('61 * * * *')).toThrow('invalid cron field');
    expect(() => parseCron('* * *')).toThrow('five fields');
  });
});
