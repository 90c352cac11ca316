/**
 * Enough of the standard five-field cron syntax for CronJob schedules:
 * `*`, numbers, ranges `a-b`, steps `* /n` and `a-b/n`, lists `a,b`, and the
 * `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly` macros. Times are UTC, like
 * kube-controller-manager on Talos when `spec.timeZone` is unset.
 */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(field: string, [min, max]: [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      [lo, hi] = range.split('-').map(Number);
    } else {
      lo = Number(range);
      hi = stepText === undefined ? lo : max;
    }
    if (
      ![lo, hi, step].every(Number.isInteger) ||
      lo < min ||
      hi > max ||
      lo > hi ||
      step < 1
    ) {
      throw new Error(`invalid cron field "${field}"`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export type CronSchedule = { matches(ms: number): boolean };

export function parseCron(expression: string): CronSchedule {
  const fields = (MACROS[expression.trim()] ?? expression).trim().split(/\s+/);
  if (fields.length !== 5)
    throw new Error(`cron schedule "${expression}" needs five fields`);
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) =>
    parseField(f, RANGES[i]),
  );
  if (weekdays.has(7)) weekdays.add(0);
  const dayRestricted = fields[2] !== '*';
  const weekdayRestricted = fields[4] !== '*';
  return {
    matches(ms: number) {
      const d = new Date(ms);
      if (!minutes.has(d.getUTCMinutes()) || !hours.has(d.getUTCHours()))
        return false;
      if (!months.has(d.getUTCMonth() + 1)) return false;
      const dom = days.has(d.getUTCDate());
      const dow = weekdays.has(d.getUTCDay());
      // Vixie cron: when both day fields are restricted, either may match.
      if (dayRestricted && weekdayRestricted) return dom || dow;
      return dom && dow;
    },
  };
}

/** The last `count` scheduled times at or before `now`, newest first (minute steps, up to 40 days back). */
export function previousRuns(
  schedule: CronSchedule,
  now: number,
  count: number,
): number[] {
  const out: number[] = [];
  let t = Math.floor(now / 60_000) * 60_000;
  const limit = t - 40 * 24 * 60 * 60_000;
  while (out.length < count && t > limit) {
    if (schedule.matches(t)) out.push(t);
    t -= 60_000;
  }
  return out;
}
