import { iso } from './identity';
import { staticMeta } from './objectMeta';
import type { SourceContext } from './objectSources';

const CLASS = 'local-path';

/**
 * Storage as a Talos homelab usually has it: Rancher's local-path
 * provisioner as the default StorageClass (WaitForFirstConsumer, so a volume
 * lives on the node of its first pod), and one bound claim per StatefulSet
 * pod from its `config` volumeClaimTemplate.
 */
export function storage({ t }: SourceContext) {
  const storageClass = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      ...staticMeta(t, 'StorageClass', CLASS, undefined, t.clusterCreatedAt),
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: false,
  };
  const volumes = t.workloads
    .filter(w => w.kind === 'StatefulSet')
    .flatMap(w => w.pods)
    .flatMap(p => {
      const claim = `config-${p.name}`;
      const claimMeta = staticMeta(
        t,
        'PersistentVolumeClaim',
        claim,
        p.namespace,
        p.workload.createdAt,
      );
      const volumeName = `pvc-${claimMeta.uid}`;
      const node = p.node?.name ?? t.nodes[0].name;
      const capacity = { storage: '10Gi' };
      const pvc = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          ...claimMeta,
          labels: p.workload.selector,
          annotations: {
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            'volume.beta.kubernetes.io/storage-provisioner':
              'rancher.io/local-path',
            'volume.kubernetes.io/selected-node': node,
            'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
          },
          finalizers: ['kubernetes.io/pvc-protection'],
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: capacity },
          storageClassName: CLASS,
          volumeMode: 'Filesystem',
          volumeName,
        },
        status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity },
      };
      const pv = {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          ...staticMeta(
            t,
            'PersistentVolume',
            volumeName,
            undefined,
            p.workload.createdAt + 2_000,
          ),
          annotations: { 'local.path.provisioner/selected-node': node },
          finalizers: ['kubernetes.io/pv-protection'],
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          capacity,
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            name: claim,
            namespace: p.namespace,
            uid: claimMeta.uid,
          },
          hostPath: {
            path: `/var/local-path-provisioner/${volumeName}_${p.namespace}_${claim}`,
            type: 'DirectoryOrCreate',
          },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    {
                      key: 'kubernetes.io/hostname',
                      operator: 'In',
                      values: [node],
                    },
                  ],
                },
              ],
            },
          },
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: CLASS,
          volumeMode: 'Filesystem',
        },
        status: {
          phase: 'Bound',
          lastPhaseTransitionTime: iso(p.workload.createdAt + 2_000),
        },
      };
      return [pvc, pv];
    });
  return [storageClass, ...volumes];
}
