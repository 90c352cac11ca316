import { AppSpec } from '../types';

/** The PVC manifest next to the release, for repositories whose releases use an `existingClaim` of one. */
export function volumeClaim(
  name: string,
  persistence: NonNullable<AppSpec['persistence']>,
) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: persistence.size } },
      ...(persistence.storageClass && {
        storageClassName: persistence.storageClass,
      }),
    },
  };
}
