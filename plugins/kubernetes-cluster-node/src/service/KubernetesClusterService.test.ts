import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { DefaultKubernetesClusterService } from './KubernetesClusterService';
import { KubernetesClusterService } from './KubernetesClusterService';
import { kubernetesClusterServiceRef } from './kubernetesClusterServiceRef';

const kubernetes = {
  clusterLocatorMethods: [
    { type: 'catalog' },
    {
      type: 'config',
      clusters: [
        {
          name: 'homelab',
          url: 'https://kubernetes.default.svc',
          authProvider: 'serviceAccount',
        },
        {
          name: 'lab',
          url: 'https://lab.home.arpa:6443/',
          authProvider: 'google',
          authMetadata: {
            'kubernetes.io/auth-provider': 'serviceAccount',
            serviceAccountToken: 'from-metadata',
          },
          serviceAccountToken: 'plain',
        },
      ],
    },
  ],
};

describe('DefaultKubernetesClusterService', () => {
  const service = DefaultKubernetesClusterService.fromConfig(
    new ConfigReader({ kubernetes }),
  );
  afterAll(() => service.close());

  it('lists the clusters of the config locators and gives the first one when unnamed', () => {
    expect(service.listClusters()).toEqual(['homelab', 'lab']);
    expect(service.getCluster().name).toBe('homelab');
    expect(service.getCluster()).toBe(service.getCluster('homelab'));
  });

  it('reads authMetadata before the plain keys, as the kubernetes plugin does', () => {
    expect(service.getCluster('lab').settings).toMatchObject({
      authProvider: 'serviceAccount',
      serviceAccountToken: 'from-metadata',
      source: 'kubernetes.clusterLocatorMethods[1].clusters[1]',
    });
  });

  it('names the config key when a cluster is missing', () => {
    expect(() => service.getCluster('prod')).toThrow(
      'No Kubernetes cluster named "prod" under kubernetes.clusterLocatorMethods (type config); configured: homelab, lab',
    );
    expect(() =>
      DefaultKubernetesClusterService.fromConfig(
        new ConfigReader({}),
      ).getCluster(),
    ).toThrow(
      'No Kubernetes cluster is configured under kubernetes.clusterLocatorMethods (type config)',
    );
  });
});

describe('kubernetesClusterServiceRef', () => {
  it('gives every plugin of a backend the same service', async () => {
    const seen: KubernetesClusterService[] = [];
    const plugin = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: {
              clusters: kubernetesClusterServiceRef,
              logger: coreServices.logger,
            },
            async init({ clusters }) {
              seen.push(clusters);
            },
          });
        },
      });
    const backend = await startTestBackend({
      features: [
        plugin('talos'),
        plugin('scaffolder'),
        mockServices.rootConfig.factory({ data: { kubernetes } }),
      ],
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0].listClusters()).toEqual(['homelab', 'lab']);
    await backend.stop();
  });
});
