import { WorkloadProfile } from '../../profile/workloads';
import { namespaceSource } from './namespaceSource';

const convention = (value: boolean) => ({
  value,
  count: 5,
  total: 6,
  of: 'apps',
});
const workloads = (kustomization: boolean, explicit: boolean) =>
  ({
    kustomizationNamespace: convention(kustomization),
    explicitNamespace: convention(explicit),
  } as WorkloadProfile);

describe('namespaceSource', () => {
  it('names the namespace on each object when there are no apps to copy', () => {
    expect(namespaceSource(undefined, true)).toEqual({
      inKustomization: false,
      explicit: true,
      notes: [],
    });
  });

  it("follows the repository: the kustomization's namespace:, each object, or Argo CD's destination", () => {
    expect(namespaceSource(workloads(true, true), true)).toEqual({
      inKustomization: true,
      explicit: false,
      notes: ['namespace in the kustomization: follows 5 of 6 apps'],
    });
    expect(namespaceSource(workloads(false, true), true)).toEqual({
      inKustomization: false,
      explicit: true,
      notes: ['namespace on each object: follows 5 of 6 apps'],
    });
    expect(namespaceSource(workloads(false, false), true)).toEqual({
      inKustomization: false,
      explicit: false,
      notes: [
        "namespace from the Application's destination: follows 5 of 6 apps",
      ],
    });
  });

  it('names it on each object when Argo CD would put the objects elsewhere', () => {
    expect(namespaceSource(workloads(false, false), false).explicit).toBe(true);
  });
});
