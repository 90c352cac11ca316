/**
 * Annotation keys the Proxmox entity provider sets on every entity it
 * generates, and the Proxmox views read to find the object behind an entity.
 * This is the only place they are spelled out.
 */

/**
 * The Proxmox instance id (the key under `proxmox.instances` in app-config).
 *
 * @public
 */
export const ANNOTATION_PROXMOX_INSTANCE = 'proxmox.homelab.dev/instance';

/**
 * The Proxmox node the object lives on (for a node: its own name).
 *
 * @public
 */
export const ANNOTATION_PROXMOX_NODE = 'proxmox.homelab.dev/node';

/**
 * The guest's VMID (QEMU VMs and LXC containers only).
 *
 * @public
 */
export const ANNOTATION_PROXMOX_VMID = 'proxmox.homelab.dev/vmid';

/**
 * What the entity is in Proxmox: `node`, `qemu`, `lxc` or `storage`.
 *
 * @public
 */
export const ANNOTATION_PROXMOX_TYPE = 'proxmox.homelab.dev/type';

/**
 * The storage id (storage entities only).
 *
 * @public
 */
export const ANNOTATION_PROXMOX_STORAGE = 'proxmox.homelab.dev/storage';

/**
 * The values of {@link ANNOTATION_PROXMOX_TYPE}.
 *
 * @public
 */
export type ProxmoxObjectType = 'node' | 'qemu' | 'lxc' | 'storage';

/**
 * The VM's SMBIOS UUID (`smbios1: uuid=…` in its config). Talos reports the
 * same UUID, and Kubernetes shows it as the Node's system UUID, which is how
 * the Talos views tie a node to its VM. Set only on VMs whose tags are in
 * `catalog.providers.proxmox.hardwareIdTags`.
 *
 * @public
 */
export const ANNOTATION_PROXMOX_SMBIOS_UUID = 'proxmox.homelab.dev/smbios-uuid';

/**
 * The VM's network MAC addresses, comma-separated (from `net0`, `net1`, …).
 * Set alongside {@link ANNOTATION_PROXMOX_SMBIOS_UUID}.
 *
 * @public
 */
export const ANNOTATION_PROXMOX_MACS = 'proxmox.homelab.dev/macs';
