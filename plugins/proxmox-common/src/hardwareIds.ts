/**
 * What identifies a guest's virtual hardware from outside Proxmox.
 *
 * @public
 */
export type GuestHardwareIds = {
  smbiosUuid?: string;
  macs: string[];
};

const UUID =
  /(?:^|,)uuid=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:,|$)/i;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

/**
 * The SMBIOS UUID and MAC addresses in a guest's config
 * (`GET /nodes/<node>/qemu/<vmid>/config`). A QEMU `netN` is `model=MAC,…` (the
 * short form, `virtio=BC:24:11:…`) or carries `macaddr=`; an LXC `netN` has
 * `hwaddr=`. Lower-case, in `netN` order, no duplicates.
 *
 * @public
 */
export function hardwareIdsOfConfig(
  config: Record<string, string | number>,
): GuestHardwareIds {
  const uuid = UUID.exec(String(config.smbios1 ?? ''))?.[1]?.toLowerCase();
  const macs: string[] = [];
  const nets = Object.keys(config)
    .filter(k => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of nets) {
    for (const part of String(config[key]).split(',')) {
      const value = part.split('=')[1]?.trim();
      if (value && MAC.test(value) && !macs.includes(value.toLowerCase()))
        macs.push(value.toLowerCase());
    }
  }
  return { ...(uuid && { smbiosUuid: uuid }), macs };
}
