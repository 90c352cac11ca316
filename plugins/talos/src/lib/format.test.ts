import { formatBytes, formatPercent, formatUptime } from './format';

describe('format', () => {
  it('prints sizes, uptimes and shares the way people read them', () => {
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(250 * 1024 ** 2)).toBe('250 MiB');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatUptime(3 * 86400 + 4 * 3600 + 100)).toBe('3d 4h');
    expect(formatUptime(5 * 3600 + 12 * 60)).toBe('5h 12m');
    expect(formatUptime(42)).toBe('42s');
    expect(formatPercent(1, 4)).toBe('25%');
    expect(formatPercent(1, 0)).toBe('—');
  });
});
