/** Sizes as people read them: 1.5 GiB, 820 MiB. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** 3d 4h, 5h 12m, 40m, 12s. */
export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${Math.floor(seconds)}s`;
}

export function formatPercent(
  part: number | undefined,
  whole: number | undefined,
): string {
  if (part === undefined || !whole) return '—';
  return `${Math.round((part / whole) * 100)}%`;
}

/** HH:MM:SS in the viewer's time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour12: false });
}

/** "talos-cp-1" when known, else the address. */
export function nodeLabel(node: {
  hostname?: string;
  address: string;
}): string {
  return node.hostname ?? node.address;
}

/** A ResponseError for HTTP 404 (the backend's "no Talos node here"). */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | undefined)?.statusCode === 404;
}
