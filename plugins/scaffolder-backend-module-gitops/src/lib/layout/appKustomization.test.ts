import { OrderLearner } from '../profile/order';
import { appKustomization, listedResources } from './appKustomization';

describe('appKustomization', () => {
  it('lists the resources last, after what the layout adds', () => {
    const document = appKustomization(['./helmrelease.yaml'], {
      namespace: 'recipes',
      commonLabels: { app: 'mealie' },
    });
    expect(document).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'recipes',
      commonLabels: { app: 'mealie' },
      resources: ['./helmrelease.yaml'],
    });
    expect(Object.keys(document).pop()).toBe('resources');
  });
});

describe('listedResources', () => {
  it("orders the files as the repository's kustomizations do, alphabetically when it says nothing", () => {
    const files = ['svc.yaml', 'deployment.yaml', 'externalsecret.yaml'];
    expect(listedResources(files, new OrderLearner(), 'mealie', false)).toEqual(
      ['deployment.yaml', 'externalsecret.yaml', 'svc.yaml'],
    );
    const order = new OrderLearner();
    order.observe('resources', [
      'externalsecret.yaml',
      'svc.yaml',
      'deployment.yaml',
    ]);
    expect(listedResources(files, order, 'mealie', true)).toEqual([
      './externalsecret.yaml',
      './svc.yaml',
      './deployment.yaml',
    ]);
  });
});
