import { ProxmoxGuestDetail } from '@homelab-portal/plugin-proxmox-common';
import { GuestConfig } from '@homelab-portal/plugin-proxmox-node';

// Config values are property strings (`8192`, `1,fstrim_cloned_disks=1`):
// the first comma-separated part is the value itself.
const num = (v: unknown) =>
  v === undefined || v === '' ? undefined : Number(String(v).split(',')[0]);
const flag = (v: unknown) =>
  v === undefined ? undefined : /^1/.test(String(v));
const text = (v: unknown) => (v === undefined ? undefined : String(v));

/**
 * A guest's `config`, as the guest page shows it: sizes, disks (CD-ROMs
 * left out), network devices, and the SMBIOS UUID Talos reports as its
 * system UUID.
 */
export function guestConfigSummary(
  type: 'qemu' | 'lxc',
  c: GuestConfig,
): NonNullable<ProxmoxGuestDetail['config']> {
  const entries = Object.entries(c);
  const diskKey =
    type === 'qemu'
      ? /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/
      : /^(rootfs|mp\d+)$/;
  const disks = entries
    .filter(([k]) => diskKey.test(k))
    .filter(([, v]) => !/media=cdrom/.test(String(v)))
    .map(([key, value]) => ({ key, value: String(value) }));
  const networks = entries
    .filter(([k]) => /^net\d+$/.test(k))
    .map(([key, value]) => ({ key, value: String(value) }));
  const smbios = /uuid=([0-9a-f-]{36})/i.exec(String(c.smbios1 ?? ''));
  return {
    cores: num(c.cores),
    sockets: num(c.sockets),
    memoryMiB: num(c.memory),
    ostype: text(c.ostype),
    description: text(c.description)?.trim(),
    onboot: flag(c.onboot),
    agent:
      type === 'qemu'
        ? /^(1|enabled=1)\b/.test(String(c.agent ?? ''))
        : undefined,
    disks,
    networks,
    unprivileged: type === 'lxc' ? flag(c.unprivileged) : undefined,
    smbiosUuid: smbios?.[1],
  };
}

/** The Proxmox UI's own deep link to a guest. */
export function guestWebUrl(webUrl: string, g: { type: string; vmid: number }) {
  return `${webUrl}/#v1:0:=${g.type}%2F${g.vmid}:4:::::::`;
}
