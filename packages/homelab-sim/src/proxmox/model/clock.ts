/**
 * Local wall-clock helpers for the household's time zone: backup jobs run at
 * 02:00 local time and vzdump names its files after the local time, as a
 * real node does.
 */

function parts(epochMs: number, timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out as {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
  };
}

/** The local date and time of an instant. */
export function localParts(epochMs: number, timeZone: string) {
  return parts(epochMs, timeZone);
}

/** The epoch (ms) of a local wall-clock time in a time zone. */
export function zonedEpoch(
  y: number,
  m: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const guess = Date.UTC(y, m - 1, d, h, mi, s);
  const p = parts(guess, timeZone);
  const asUtc = Date.UTC(
    p.year,
    p.month - 1,
    p.day,
    p.hour,
    p.minute,
    p.second,
  );
  return guess - (asUtc - guess);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026_05_12-02_00_03`, as in vzdump file names. */
export function vzdumpStamp(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}_${pad(p.month)}_${pad(p.day)}-${pad(p.hour)}_${pad(
    p.minute,
  )}_${pad(p.second)}`;
}

/** `2026-05-12 02:00:03`, as in vzdump logs. */
export function logStamp(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(
    p.minute,
  )}:${pad(p.second)}`;
}

/** `00:01:07` */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(
    s % 60,
  )}`;
}

export const hex = (n: number, width = 8) =>
  Math.floor(n).toString(16).toUpperCase().padStart(width, '0');
