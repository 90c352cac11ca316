import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_TALOS_NODE,
  TalosMatchKey,
  TalosNodeLink,
  TalosNodeView,
} from '@homelab-portal/plugin-talos-common';
import type { KubeNode } from './KubernetesReader';

/**
 * What identifies a VM entity, gathered from the entity itself: any
 * annotation value that is an SMBIOS UUID, a MAC or an IP address (whatever
 * key the provider uses for it), an explicit Talos node annotation, and the
 * guest name from the title (`talos-cp-1 (VM 100)`), which is a convention
 * and the weakest key.
 */
export type VmFacts = {
  entityRef: string;
  title?: string;
  talosNode?: string;
  uuids: string[];
  macs: string[];
  ips: string[];
  guestName?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:]*$/i;

export function vmFactsOf(entity: Entity): VmFacts {
  const facts: VmFacts = {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title,
    uuids: [],
    macs: [],
    ips: [],
  };
  for (const [key, value] of Object.entries(
    entity.metadata.annotations ?? {},
  )) {
    if (key === ANNOTATION_TALOS_NODE) {
      facts.talosNode = value.trim();
      continue;
    }
    // Values may be lists ("aa:bb:…, cc:dd:…") or CIDRs ("10.0.0.2/24").
    for (const raw of value.split(/[\s,;]+/)) {
      const token = raw.replace(/\/\d+$/, '').trim();
      if (!token) continue;
      if (UUID.test(token)) facts.uuids.push(token.toLowerCase());
      else if (MAC.test(token)) facts.macs.push(normalizeMac(token));
      else if (IPV4.test(token) || (IPV6.test(token) && token.includes('::')))
        facts.ips.push(token.toLowerCase());
    }
  }
  const m = /^(.+?)\s*\((?:VM|vm)\s+\d+\)$/.exec(entity.metadata.title ?? '');
  if (m) facts.guestName = m[1].trim().toLowerCase();
  return facts;
}

export function normalizeMac(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}

function nodeKeys(n: TalosNodeView) {
  return {
    names: [n.hostname, n.nodename].filter(Boolean).map(s => s!.toLowerCase()),
    uuid: n.hardware.uuid?.toLowerCase(),
    macs: n.hardware.macs.map(normalizeMac),
    ips: [n.address, ...n.hardware.addresses].map(s => s.toLowerCase()),
  };
}

/** The VM a node runs in: the strongest key that matches exactly one VM wins. */
export function matchVm(
  node: TalosNodeView,
  vms: VmFacts[],
): TalosNodeLink['vm'] | undefined {
  const k = nodeKeys(node);
  const by: [TalosMatchKey, (v: VmFacts) => boolean][] = [
    [
      'annotation',
      v =>
        !!v.talosNode &&
        [node.address, ...k.names].includes(v.talosNode.toLowerCase()),
    ],
    ['smbios-uuid', v => !!k.uuid && v.uuids.includes(k.uuid)],
    ['mac', v => v.macs.some(m => k.macs.includes(m))],
    ['ip', v => v.ips.some(ip => k.ips.includes(ip))],
    ['name', v => !!v.guestName && k.names.includes(v.guestName)],
  ];
  for (const [key, test] of by) {
    const found = vms.filter(test);
    if (found.length === 1) {
      return {
        entityRef: found[0].entityRef,
        title: found[0].title,
        matchedBy: key,
      };
    }
  }
  return undefined;
}

/** The Kubernetes Node of a Talos node: system UUID, then InternalIP, then name. */
export function matchKubernetesNode(
  node: TalosNodeView,
  kubeNodes: KubeNode[],
): TalosNodeLink['kubernetesNode'] | undefined {
  const k = nodeKeys(node);
  const by: [TalosMatchKey, (n: KubeNode) => boolean][] = [
    ['smbios-uuid', n => !!k.uuid && n.systemUUID?.toLowerCase() === k.uuid],
    ['ip', n => n.internalIPs.some(ip => k.ips.includes(ip.toLowerCase()))],
    ['name', n => k.names.includes(n.name.toLowerCase())],
  ];
  for (const [key, test] of by) {
    const found = kubeNodes.filter(test);
    if (found.length === 1) {
      const n = found[0];
      return {
        name: n.name,
        matchedBy: key,
        ready: n.ready,
        kubeletVersion: n.kubeletVersion,
        osImage: n.osImage,
      };
    }
  }
  return undefined;
}

export function correlate(
  cluster: string,
  nodes: TalosNodeView[],
  vms: VmFacts[],
  kubeNodes: KubeNode[],
): TalosNodeLink[] {
  return nodes.map(n => ({
    cluster,
    node: { address: n.address, hostname: n.hostname, reachable: n.reachable },
    vm: matchVm(n, vms),
    kubernetesNode: matchKubernetesNode(n, kubeNodes),
  }));
}
