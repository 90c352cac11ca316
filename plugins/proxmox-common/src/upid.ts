/**
 * A Proxmox task id (UPID), decoded. Format (pve-common PVE/UPID.pm):
 * `UPID:<node>:<pid 8 hex>:<pstart 8-9 hex>:<starttime 8 hex>:<type>:<id>:<user>:`
 *
 * @public
 */
export type ProxmoxUpid = {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  /** Epoch seconds. */
  starttime: number;
  type: string;
  /** Usually the VMID; empty for multi-guest backups and apt updates. */
  id: string;
  /** The user or token (`user@realm!tokenid`) that started the task. */
  user: string;
};

const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

/**
 * Decodes a UPID; `undefined` when the text is not one.
 *
 * @public
 */
export function parseUpid(upid: string): ProxmoxUpid | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return {
    upid,
    node: m[1],
    pid: parseInt(m[3], 16),
    pstart: parseInt(m[4], 16),
    starttime: parseInt(m[5], 16),
    type: m[6],
    id: m[7],
    user: m[8],
  };
}

/**
 * Whether a finished task's exit status means success: `OK`, or
 * `WARNINGS: <n>` (pve-common `status_is_error`).
 *
 * @public
 */
export function isTaskSuccess(exitstatus: string | undefined): boolean {
  return exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus ?? '');
}
