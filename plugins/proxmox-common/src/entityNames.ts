/**
 * The naming rule for generated Proxmox entities (catalog/README.md): names
 * are built only from identifiers Proxmox never changes for the life of an
 * object, lower-cased, with every character outside `[a-z0-9-]` turned into
 * `-`. The guest's own name never goes into the entity name.
 */

/** @public */
export type ProxmoxEntityNameInput =
  | { instance: string; kind: 'node'; node: string }
  | { instance: string; kind: 'qemu' | 'lxc'; vmid: number | string }
  | { instance: string; kind: 'storage'; node: string; storage: string };

/** Lower-case and replace anything outside [a-z0-9-] with `-`. */
function part(value: string | number): string {
  return String(value)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
}

/**
 * The entity name of a Proxmox object, for example `proxmox-home-vm-100`.
 *
 * @public
 */
export function proxmoxEntityName(input: ProxmoxEntityNameInput): string {
  const instance = part(input.instance);
  switch (input.kind) {
    case 'node':
      return `proxmox-${instance}-node-${part(input.node)}`;
    case 'qemu':
      return `proxmox-${instance}-vm-${part(input.vmid)}`;
    case 'lxc':
      return `proxmox-${instance}-ct-${part(input.vmid)}`;
    case 'storage':
      return `proxmox-${instance}-storage-${part(input.node)}-${part(
        input.storage,
      )}`;
    default:
      throw new Error(
        `unknown Proxmox object kind ${(input as { kind: string }).kind}`,
      );
  }
}

/**
 * The entity ref (`resource:default/<name>`) of a Proxmox object.
 *
 * @public
 */
export function proxmoxEntityRef(input: ProxmoxEntityNameInput): string {
  return `resource:default/${proxmoxEntityName(input)}`;
}

/**
 * The prefix reserved for generated entities; hand-written entities never
 * start with it.
 *
 * @public
 */
export const PROXMOX_ENTITY_NAME_PREFIX = 'proxmox-';
