import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  makeValidator,
} from '@backstage/catalog-model';
import {
  ANNOTATION_PROXMOX_INSTANCE,
  ANNOTATION_PROXMOX_MACS,
  ANNOTATION_PROXMOX_NODE,
  ANNOTATION_PROXMOX_SMBIOS_UUID,
  ANNOTATION_PROXMOX_STORAGE,
  ANNOTATION_PROXMOX_TYPE,
  ANNOTATION_PROXMOX_VMID,
  GuestHardwareIds,
  proxmoxEntityName,
  proxmoxEntityRef,
} from '@homelab-portal/plugin-proxmox-common';
import type { ClusterResources } from '@homelab-portal/plugin-proxmox-node';

/** @public */
export type TransformOptions = {
  instance: string;
  /** The Proxmox web UI, for links and the managed-by location. */
  webUrl: string;
  owner: string;
  system: string;
  /** SMBIOS UUID and MACs of the guests whose config was read, by VMID. */
  hardware?: Map<number, GuestHardwareIds>;
};

const validator = makeValidator();

/**
 * Proxmox tags as catalog tags: lower-case, characters the catalog does not
 * allow become `-`, at most 63 characters, no duplicates.
 *
 * @public
 */
export function sanitizeTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const clean = t
      .toLowerCase()
      .replace(/[^a-z0-9:+#]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 63)
      .replace(/-$/, '');
    if (clean && validator.isValidTag(clean)) out.add(clean);
  }
  return [...out];
}

function hardwareAnnotations(ids?: GuestHardwareIds): Record<string, string> {
  if (!ids) return {};
  return {
    ...(ids.smbiosUuid && { [ANNOTATION_PROXMOX_SMBIOS_UUID]: ids.smbiosUuid }),
    ...(ids.macs.length > 0 && {
      [ANNOTATION_PROXMOX_MACS]: ids.macs.join(','),
    }),
  };
}

/** The Proxmox UI's deep link to an object (`#v1:0:=qemu%2F100:4:::::::`). */
function deepLink(webUrl: string, id: string) {
  return `${webUrl}/#v1:0:=${encodeURIComponent(id)}:4:::::::`;
}

/**
 * Turns one `/cluster/resources` answer into Resource entities: nodes, QEMU
 * VMs, LXC containers (templates typed apart) and storage, named by the rule
 * in catalog/README.md. Pure: same input, same entities.
 *
 * @public
 */
export function resourcesToEntities(
  resources: ClusterResources,
  options: TransformOptions,
): { entities: Entity[]; skipped: string[] } {
  const { instance, webUrl, owner, system, hardware } = options;
  const entities: Entity[] = [];
  const skipped: string[] = [];
  const base = (
    name: string,
    proxmoxId: string,
    annotations: Record<string, string>,
  ) => {
    const link = deepLink(webUrl, proxmoxId);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          [ANNOTATION_LOCATION]: `url:${link}`,
          [ANNOTATION_ORIGIN_LOCATION]: `url:${link}`,
          [ANNOTATION_PROXMOX_INSTANCE]: instance,
          ...annotations,
        },
        links: [{ url: link, title: 'Open in Proxmox VE' }],
      },
    };
  };
  const push = (entity: Entity, what: string) => {
    if (validator.isValidEntityName(entity.metadata.name))
      entities.push(entity);
    else
      skipped.push(
        `${what}: "${entity.metadata.name}" is not a valid entity name`,
      );
  };

  for (const n of resources.nodes) {
    const b = base(
      proxmoxEntityName({ instance, kind: 'node', node: n.node }),
      `node/${n.node}`,
      {
        [ANNOTATION_PROXMOX_NODE]: n.node,
        [ANNOTATION_PROXMOX_TYPE]: 'node',
      },
    );
    push(
      {
        ...b,
        metadata: {
          ...b.metadata,
          title: `${n.node} (Proxmox VE node)`,
          description: `Proxmox VE node ${n.node} of instance ${instance}.`,
          tags: ['proxmox'],
        },
        spec: { type: 'proxmox-node', owner, system },
      },
      `node ${n.node}`,
    );
  }

  for (const g of resources.guests) {
    const nodeRef = proxmoxEntityRef({ instance, kind: 'node', node: g.node });
    const vm = g.type === 'qemu';
    const name = g.name ?? `${vm ? 'VM' : 'CT'} ${g.vmid}`;
    const b = base(
      proxmoxEntityName({ instance, kind: g.type, vmid: g.vmid }),
      `${g.type}/${g.vmid}`,
      {
        [ANNOTATION_PROXMOX_NODE]: g.node,
        [ANNOTATION_PROXMOX_VMID]: String(g.vmid),
        [ANNOTATION_PROXMOX_TYPE]: g.type,
        ...hardwareAnnotations(hardware?.get(g.vmid)),
      },
    );
    const kindWord = vm ? 'virtual-machine' : 'lxc-container';
    const what = vm ? 'QEMU virtual machine' : 'LXC container';
    push(
      {
        ...b,
        metadata: {
          ...b.metadata,
          title: `${name} (${vm ? 'VM' : 'LXC'} ${g.vmid})`,
          description: `${g.template ? `Template ${what}` : what} ${
            g.vmid
          } ("${name}") on Proxmox VE node ${g.node}.`,
          tags: sanitizeTags(g.tags),
        },
        spec: {
          type: g.template ? `${kindWord}-template` : kindWord,
          owner,
          system,
          dependsOn: [nodeRef],
        },
      },
      `guest ${g.vmid}`,
    );
  }

  for (const s of resources.storage) {
    const b = base(
      proxmoxEntityName({
        instance,
        kind: 'storage',
        node: s.node,
        storage: s.storage,
      }),
      `storage/${s.node}/${s.storage}`,
      {
        [ANNOTATION_PROXMOX_NODE]: s.node,
        [ANNOTATION_PROXMOX_STORAGE]: s.storage,
        [ANNOTATION_PROXMOX_TYPE]: 'storage',
      },
    );
    push(
      {
        ...b,
        metadata: {
          ...b.metadata,
          title: `${s.storage} on ${s.node}`,
          description: `${s.shared ? 'Shared' : 'Local'} ${
            s.plugintype ?? ''
          } storage ${s.storage} as seen from node ${s.node}; holds ${
            s.content.join(', ') || 'nothing yet'
          }.`.replace('  ', ' '),
          tags: sanitizeTags([
            'proxmox',
            ...(s.plugintype ? [s.plugintype] : []),
          ]),
        },
        spec: {
          type: 'storage',
          owner,
          system,
          dependsOn: [
            proxmoxEntityRef({ instance, kind: 'node', node: s.node }),
          ],
        },
      },
      `storage ${s.storage} on ${s.node}`,
    );
  }
  return { entities, skipped };
}
