/** What a vzdump task log says about each guest it covered. */
export type VzdumpGuestResult = { vmid: number; ok: boolean; error?: string };

/**
 * Reads a vzdump (backup) task log (pve-manager VZDump.pm): `Starting Backup
 * of VM <id>`, then `Finished Backup of VM <id>` or `ERROR: Backup of VM <id>
 * failed - <why>`. A guest whose end was cut from the log counts as done when
 * the whole task ended OK, and is left out otherwise.
 */
export function parseVzdumpLog(
  lines: string[],
  taskExitStatus: string | undefined,
): VzdumpGuestResult[] {
  const results = new Map<number, VzdumpGuestResult | 'started'>();
  for (const line of lines) {
    let m = /^INFO: Starting Backup of VM (\d+) \((qemu|lxc|openvz)\)/.exec(
      line,
    );
    if (m) {
      results.set(Number(m[1]), 'started');
      continue;
    }
    m = /^INFO: Finished Backup of VM (\d+) \(/.exec(line);
    if (m) {
      results.set(Number(m[1]), { vmid: Number(m[1]), ok: true });
      continue;
    }
    m = /^ERROR: Backup of VM (\d+) failed - (.*)$/.exec(line);
    if (m) {
      results.set(Number(m[1]), { vmid: Number(m[1]), ok: false, error: m[2] });
    }
  }
  const out: VzdumpGuestResult[] = [];
  for (const [vmid, r] of results) {
    if (r !== 'started') out.push(r);
    else if (taskExitStatus === 'OK') out.push({ vmid, ok: true });
  }
  return out;
}
