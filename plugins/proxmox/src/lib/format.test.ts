import {
  ageDays,
  formatAge,
  formatBytes,
  formatDuration,
  formatPercent,
  taskLabel,
} from './format';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(8589934592)).toBe('8.0 GiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(undefined)).toBe('–');
  });

  it('formats fractions, durations and ages', () => {
    expect(formatPercent(0.0873512)).toBe('8.7 %');
    expect(formatDuration(1064890)).toBe('12d 7h');
    expect(formatDuration(125)).toBe('2m 5s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(undefined)).toBe('–');
    const now = Date.UTC(2026, 4, 12, 8);
    expect(formatAge(now / 1000 - 30, now)).toBe('just now');
    expect(formatAge(now / 1000 - 5 * 3600, now)).toBe('5 h ago');
    expect(formatAge(now / 1000 - 9 * 86400, now)).toBe('9 days ago');
    expect(ageDays(now / 1000 - 3 * 86400, now)).toBeCloseTo(3);
  });

  it('names task types', () => {
    expect(taskLabel('qmreboot')).toBe('Reboot VM');
    expect(taskLabel('vzdump')).toBe('Backup');
    expect(taskLabel('something-new')).toBe('something-new');
  });
});
