import { volumeClaim } from './volumeClaim';

describe('volumeClaim', () => {
  it('is a ReadWriteOnce claim of the size, with the storage class when chosen', () => {
    expect(
      volumeClaim('mealie-data', { size: '5Gi', mountPath: '/data' }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'mealie-data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '5Gi' } },
      },
    });
    expect(
      volumeClaim('mealie-data', {
        size: '1Gi',
        mountPath: '/data',
        storageClass: 'ceph-block',
      }).spec,
    ).toMatchObject({ storageClassName: 'ceph-block' });
  });
});
