import { KubernetesCluster } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { Response } from 'undici';
import { KubernetesReader } from './KubernetesReader';

/** A reader whose API server answers each list path with the given body. */
function readerAnswering(bodies: Record<string, unknown>) {
  const cluster = new KubernetesCluster({
    name: 'homelab',
    source: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
    url: 'https://kubernetes.invalid',
    authProvider: 'serviceAccount',
    serviceAccountToken: 'token',
  });
  jest.spyOn(cluster, 'fetch').mockImplementation(async path => {
    const body = bodies[path.split('?')[0]] ?? { items: [] };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return new KubernetesReader(cluster);
}

const node = {
  metadata: {
    name: 'talos-cp-1',
    labels: { 'node-role.kubernetes.io/control-plane': '' },
  },
  spec: {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True', message: 'kubelet is posting ready' },
    ],
    addresses: [
      { type: 'InternalIP', address: '192.168.1.21' },
      { type: 'Hostname', address: 'talos-cp-1' },
    ],
    nodeInfo: {
      systemUUID: '6F1C2A4E-8B3D-4E0F-9A51-2C7D3E100100',
      kubeletVersion: 'v1.33.7',
      osImage: 'Talos (v1.10.6)',
      architecture: 'amd64',
    },
  },
};

describe('KubernetesReader', () => {
  it('reads nodes, kube-system pods, kube-proxy and CoreDNS', async () => {
    const reader = readerAnswering({
      '/api/v1/nodes': { kind: 'NodeList', items: [node] },
      '/api/v1/namespaces/kube-system/pods': {
        items: [
          {
            metadata: { name: 'coredns-1', labels: { 'k8s-app': 'kube-dns' } },
            spec: { nodeName: 'talos-cp-1' },
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True' }],
            },
          },
          { metadata: { name: 'pending-1' }, status: { phase: 'Pending' } },
        ],
      },
      '/apis/apps/v1/namespaces/kube-system/daemonsets': {
        items: [{ status: { desiredNumberScheduled: 2, numberReady: 1 } }],
      },
      '/apis/apps/v1/namespaces/kube-system/deployments': {
        items: [{ spec: { replicas: 2 }, status: { readyReplicas: 2 } }],
      },
    });
    expect(await reader.read()).toEqual({
      nodes: [
        {
          name: 'talos-cp-1',
          ready: true,
          readyMessage: 'kubelet is posting ready',
          unschedulable: false,
          systemUUID: '6F1C2A4E-8B3D-4E0F-9A51-2C7D3E100100',
          internalIPs: ['192.168.1.21'],
          kubeletVersion: 'v1.33.7',
          osImage: 'Talos (v1.10.6)',
          controlPlane: true,
        },
      ],
      kubeSystemPods: [
        {
          name: 'coredns-1',
          nodeName: 'talos-cp-1',
          phase: 'Running',
          ready: true,
          labels: { 'k8s-app': 'kube-dns' },
        },
        {
          name: 'pending-1',
          nodeName: undefined,
          phase: 'Pending',
          ready: false,
          labels: {},
        },
      ],
      kubeProxy: { desired: 2, ready: 1 },
      coreDns: { desired: 2, ready: 2 },
    });
    expect(reader.calls).toBe(4);
  });

  it('says which field of a malformed node list is wrong instead of failing somewhere later', async () => {
    await expect(
      readerAnswering({ '/api/v1/nodes': { items: { node } } }).read(),
    ).rejects.toThrow(
      /^the Kubernetes API answered GET \/api\/v1\/nodes with a body that is not a NodeList: items: /,
    );
    await expect(
      readerAnswering({
        '/api/v1/nodes': {
          items: [{ ...node, status: { ...node.status, conditions: 'Ready' } }],
        },
      }).read(),
    ).rejects.toThrow(
      /^the Kubernetes API answered GET \/api\/v1\/nodes with a body that is not a NodeList: items\.0\.status\.conditions: /,
    );
  });

  it('refuses a node without a name rather than showing a nameless node', async () => {
    await expect(
      readerAnswering({
        '/api/v1/nodes': { items: [{ ...node, metadata: {} }] },
      }).read(),
    ).rejects.toMatchObject({
      name: 'KubernetesError',
      message: expect.stringMatching(
        /not a NodeList: items\.0\.metadata\.name: .*expected string/,
      ),
    });
  });

  it('names a malformed pod list and kube-proxy count the same way', async () => {
    await expect(
      readerAnswering({
        '/api/v1/namespaces/kube-system/pods': {
          items: [{ metadata: { name: 'x', labels: { app: 1 } } }],
        },
      }).read(),
    ).rejects.toThrow(/not a PodList: items\.0\.metadata\.labels\.app: /);
    await expect(
      readerAnswering({
        '/apis/apps/v1/namespaces/kube-system/daemonsets': {
          items: [{ status: { desiredNumberScheduled: 'two' } }],
        },
      }).read(),
    ).rejects.toThrow(
      /not a DaemonSetList: items\.0\.status\.desiredNumberScheduled: /,
    );
  });
});
