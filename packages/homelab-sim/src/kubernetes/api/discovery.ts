import { createHash } from 'node:crypto';
import { apiVersionOf, groupVersions, RESOURCES } from './resources';

/**
 * The discovery documents clients read before they call anything else
 * (client-go's DiscoveryClient, `@kubernetes/client-node`'s
 * KubernetesObjectApi, kubectl): /api, /apis, /apis/<g>, /api/v1 and
 * /apis/<g>/<v>. Only the groups and resources the sim serves are listed,
 * so a client never discovers something it then cannot read.
 */
export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(group: string, versions: string[]) {
  const gv = (version: string) => ({
    groupVersion: `${group}/${version}`,
    version,
  });
  return {
    name: group,
    versions: versions.map(gv),
    preferredVersion: gv(versions[0]),
  };
}

export function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions()
      .filter(g => g.group !== '')
      .map(g => groupDocument(g.group, g.versions)),
  };
}

export function apiGroup(name: string) {
  const found = groupVersions().find(g => g.group === name && name !== '');
  if (!found) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupDocument(found.group, found.versions),
  };
}

/** storageVersionHash: base64 of the first 8 bytes of sha256(group/version/kind). */
function storageVersionHash(group: string, version: string, kind: string) {
  return createHash('sha256')
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

export function resourceList(group: string, version: string) {
  const resources = RESOURCES.filter(
    r => r.group === group && r.version === version,
  );
  if (!resources.length) return undefined;
  const isAggregated = group === 'metrics.k8s.io';
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: resources.flatMap(r => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames && { shortNames: r.shortNames }),
        ...(r.categories && { categories: r.categories }),
        ...(!isAggregated && {
          storageVersionHash: storageVersionHash(r.group, r.version, r.kind),
        }),
      },
      ...(r.subresources ?? []).map(s => ({
        name: `${r.plural}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      })),
    ]),
  };
}
