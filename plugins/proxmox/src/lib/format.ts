/** Formatting for the Proxmox views: bytes, percentages, durations, ages. */

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | undefined, digits = 1): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${(bytes < 0 ? -v : v).toFixed(i === 0 ? 0 : digits)} ${units[i]}`;
}

export function formatRate(bytesPerSecond: number | undefined): string {
  return bytesPerSecond === undefined
    ? '–'
    : `${formatBytes(bytesPerSecond)}/s`;
}

/** A 0..1 fraction as a percentage. */
export function formatPercent(
  fraction: number | undefined,
  digits = 1,
): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** Seconds as `12d 3h`, `3h 20m`, `5m 10s`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || seconds < 0) return '–';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60;
  const s = Math.floor(seconds % 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

/** How long ago an epoch-seconds time was: `5 min ago`, `3 h ago`, `8 days ago`. */
export function formatAge(
  epochSeconds: number | undefined,
  now = Date.now(),
): string {
  if (epochSeconds === undefined) return '–';
  const s = Math.max(0, now / 1000 - epochSeconds);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

/** Days since an epoch-seconds time. */
export function ageDays(epochSeconds: number, now = Date.now()): number {
  return (now / 1000 - epochSeconds) / 86400;
}

export function formatDateTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '–';
  return new Date(epochSeconds * 1000).toLocaleString();
}

export function formatClock(epochSeconds: number, withDate = false): string {
  const d = new Date(epochSeconds * 1000);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return withDate
    ? `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`
    : time;
}

/** What a Proxmox task type means, in the household's words. */
export function taskLabel(type: string): string {
  const labels: Record<string, string> = {
    qmstart: 'Start VM',
    qmstop: 'Stop VM',
    qmshutdown: 'Shut down VM',
    qmreboot: 'Reboot VM',
    vzstart: 'Start container',
    vzstop: 'Stop container',
    vzshutdown: 'Shut down container',
    vzreboot: 'Reboot container',
    vzdump: 'Backup',
    aptupdate: 'Update package lists',
    hastart: 'HA start',
    hastop: 'HA stop',
    qmigrate: 'Migrate VM',
    qmclone: 'Clone VM',
    qmsnapshot: 'Snapshot VM',
  };
  return labels[type] ?? type;
}
