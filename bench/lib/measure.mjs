// Shared measuring helpers for the benchmarks: process memory from /proc and
// simple statistics. Nothing here asserts; benchmarks report numbers.
import fs from 'node:fs';

/** Resident and peak-resident memory of a process, in MiB. */
export function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = key =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, idx)];
}

export const median = values => percentile(values, 50);

export const sleep = ms => new Promise(r => setTimeout(r, ms));

export function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
