import type {
  TalosNodeView,
  TalosServiceView,
} from '@homelab-portal/plugin-talos-common';
import { evaluateHealth } from './evaluateHealth';
import type { KubernetesSnapshot } from '../KubernetesReader';
import type { NodeEtcd } from '../NodeReader';

const svc = (
  id: string,
  over: Partial<TalosServiceView> = {},
): TalosServiceView => ({
  id,
  state: 'Running',
  health: 'healthy',
  lastMessage: '',
  events: [{ message: 'Service started as goroutine', state: 'Running' }],
  ...over,
});

function node(
  over: Partial<TalosNodeView> &
    Pick<TalosNodeView, 'address' | 'hostname' | 'role'>,
): TalosNodeView {
  const cp = over.role === 'controlplane';
  return {
    nodename: over.hostname,
    reachable: true,
    problems: [],
    unmetConditions: [],
    stage: 'running',
    ready: true,
    services: [
      'apid',
      'machined',
      'kubelet',
      ...(cp ? ['etcd', 'trustd'] : []),
    ].map(id => svc(id)),
    memory: {
      totalBytes: 8 * 1024 ** 3,
      usedBytes: 1024 ** 3,
      availableBytes: 6 * 1024 ** 3,
    },
    disks: [],
    volumes: [{ id: 'EPHEMERAL', phase: 'ready', sizeBytes: 50 * 1024 ** 3 }],
    hardware: { macs: [], addresses: [over.address] },
    extensions: [],
    diagnostics: [],
    history: [],
    fetchedAt: '2026-11-25T00:00:00Z',
    ...over,
  };
}

const member = {
  id: '1',
  hostname: 'cp',
  peer_urls: ['https://10.0.0.1:2380'],
  client_urls: [],
  is_learner: false,
};
const etcd = new Map<string, NodeEtcd>([['10.0.0.1', { members: [member] }]]);

const k8s = (over: Partial<KubernetesSnapshot> = {}): KubernetesSnapshot => ({
  nodes: [
    {
      name: 'cp',
      ready: true,
      unschedulable: false,
      internalIPs: ['10.0.0.1'],
      controlPlane: true,
    },
    {
      name: 'w',
      ready: true,
      unschedulable: false,
      internalIPs: ['10.0.0.2'],
      controlPlane: false,
    },
  ],
  kubeSystemPods: [
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
  ].map(c => ({
    name: `${c}-cp`,
    nodeName: 'cp',
    phase: 'Running',
    ready: true,
    labels: {},
  })),
  coreDns: { desired: 2, ready: 2 },
  ...over,
});

const status = (checks: ReturnType<typeof evaluateHealth>) =>
  Object.fromEntries(checks.map(c => [c.id, c.status]));

describe('evaluateHealth', () => {
  const cp = node({
    address: '10.0.0.1',
    hostname: 'cp',
    role: 'controlplane',
  });
  const w = node({ address: '10.0.0.2', hostname: 'w', role: 'worker' });

  it('passes a healthy cluster, in talosctl order, and skips what is not deployed', () => {
    const checks = evaluateHealth({
      nodes: [cp, w],
      etcd,
      kubernetes: { configured: true, snapshot: k8s() },
    });
    expect(checks.map(c => c.title)).toEqual([
      'etcd to be healthy',
      'etcd members to be consistent across nodes',
      'etcd members to be control plane nodes',
      'apid to be ready',
      'all nodes memory sizes',
      'all nodes disk sizes',
      'no diagnostics',
      'kubelet to be healthy',
      'all nodes to finish boot sequence',
      'all k8s nodes to report',
      'all control plane static pods to be running',
      'all control plane components to be ready',
      'all k8s nodes to report ready',
      'kube-proxy to report ready',
      'coredns to report ready',
      'all k8s nodes to report schedulable',
    ]);
    expect(
      checks.filter(c => c.status !== 'pass').map(c => [c.id, c.status]),
    ).toEqual([['kube-proxy-ready', 'skipped']]);
  });

  it('fails "etcd to be healthy" with the reason when etcd has failed', () => {
    const sick = node({
      address: '10.0.0.1',
      hostname: 'cp',
      role: 'controlplane',
      services: [
        svc('apid'),
        svc('kubelet'),
        svc('etcd', {
          state: 'Failed',
          health: 'unhealthy',
          events: [
            {
              message:
                'Error running Containerd(etcd), going to restart forever: exit status 1',
              state: 'Failed',
            },
          ],
        }),
      ],
    });
    const checks = evaluateHealth({
      nodes: [sick, w],
      etcd,
      kubernetes: { configured: false },
    });
    const etcdCheck = checks.find(c => c.id === 'etcd-healthy')!;
    expect(etcdCheck.status).toBe('fail');
    expect(etcdCheck.reason).toBe(
      'cp: service "etcd" not in expected state "Running": current state [Failed] Error running Containerd(etcd), going to restart forever: exit status 1',
    );
    // The other checks still evaluate on their own.
    expect(status(checks)['apid-ready']).toBe('pass');
    expect(status(checks)['kubelet-healthy']).toBe('pass');
  });

  it('fails a kubelet that runs but is unhealthy, only on the control plane', () => {
    const sickWorker = {
      ...w,
      services: [
        svc('kubelet', {
          health: 'unhealthy',
          lastMessage: 'connection refused',
        }),
      ],
    };
    expect(
      status(
        evaluateHealth({
          nodes: [cp, sickWorker],
          etcd,
          kubernetes: { configured: false },
        }),
      )['kubelet-healthy'],
    ).toBe('pass');
    const sickCp = {
      ...cp,
      services: [
        ...cp.services.filter(s => s.id !== 'kubelet'),
        svc('kubelet', {
          health: 'unhealthy',
          lastMessage: 'connection refused',
        }),
      ],
    };
    const check = evaluateHealth({
      nodes: [sickCp, w],
      etcd,
      kubernetes: { configured: false },
    }).find(c => c.id === 'kubelet-healthy')!;
    expect(check).toMatchObject({
      status: 'fail',
      reason: 'cp: service "kubelet" is not healthy: connection refused',
    });
  });

  it('names an unreachable node, small memory, a small EPHEMERAL and unmet conditions', () => {
    const down = {
      ...w,
      reachable: false,
      error: { kind: 'unreachable' as const, message: 'connection refused' },
    };
    const small = node({
      address: '10.0.0.3',
      hostname: 'small',
      role: 'worker',
      memory: { totalBytes: 512 * 1024 ** 2, usedBytes: 0, availableBytes: 0 },
      volumes: [{ id: 'EPHEMERAL', phase: 'ready', sizeBytes: 4 * 1024 ** 3 }],
      ready: false,
      unmetConditions: [
        { name: 'services', reason: 'some services are not healthy: kubelet' },
      ],
    });
    const checks = Object.fromEntries(
      evaluateHealth({
        nodes: [cp, down, small],
        etcd,
        kubernetes: { configured: false },
      }).map(c => [c.id, c]),
    );
    expect(checks['apid-ready'].reason).toBe(
      'w: unreachable (connection refused)',
    );
    expect(checks['memory-sizes'].reason).toContain(
      'small: 512 MiB of memory, at least 874 MiB needed',
    );
    expect(checks['disk-sizes'].reason).toContain(
      'small: EPHEMERAL is 4.0 GiB, at least 6 GiB needed',
    );
    expect(checks['boot-finished'].reason).toContain(
      'small: not ready: services (some services are not healthy: kubelet)',
    );
  });

  it('reads the Kubernetes side: missing nodes, static pods, readiness and cordons', () => {
    const snap = k8s({
      nodes: [
        {
          name: 'cp',
          ready: false,
          readyMessage: 'kubelet stopped posting node status',
          unschedulable: true,
          internalIPs: ['10.0.0.1'],
          controlPlane: true,
        },
      ],
      kubeSystemPods: [
        {
          name: 'kube-apiserver-cp',
          phase: 'Pending',
          ready: false,
          labels: {},
        },
      ],
      kubeProxy: { desired: 2, ready: 1 },
    });
    const checks = Object.fromEntries(
      evaluateHealth({
        nodes: [cp, w],
        etcd,
        kubernetes: { configured: true, snapshot: snap },
      }).map(c => [c.id, c]),
    );
    expect(checks['k8s-nodes-reported'].reason).toBe(
      'expected nodes ["cp","w"], missing ["w"]',
    );
    expect(checks['k8s-static-pods'].reason).toBe(
      'cp: kube-apiserver Pending, kube-controller-manager missing, kube-scheduler missing',
    );
    expect(checks['k8s-nodes-ready'].reason).toBe(
      'some nodes are not ready: cp (kubelet stopped posting node status)',
    );
    expect(checks['kube-proxy-ready'].reason).toBe(
      'expected 2 ready kube-proxy pods, got 1',
    );
    expect(checks['k8s-nodes-schedulable'].reason).toBe(
      'some nodes are not schedulable: cp',
    );
  });

  it('fails the Kubernetes checks with the API error when the API cannot be read', () => {
    const checks = evaluateHealth({
      nodes: [cp],
      etcd,
      kubernetes: {
        configured: true,
        error:
          'the Kubernetes API at https://x refused the service-account token (HTTP 401)',
      },
    });
    expect(checks.find(c => c.id === 'k8s-nodes-ready')).toMatchObject({
      status: 'fail',
      reason:
        'the Kubernetes API at https://x refused the service-account token (HTTP 401)',
    });
  });

  it('flags an etcd member that is not a control-plane node and disagreeing member lists', () => {
    const cp2 = node({
      address: '10.0.0.4',
      hostname: 'cp2',
      role: 'controlplane',
    });
    const stranger = {
      ...member,
      id: '9',
      hostname: 'rogue',
      peer_urls: ['https://10.9.9.9:2380'],
    };
    const checks = Object.fromEntries(
      evaluateHealth({
        nodes: [cp, cp2],
        etcd: new Map([
          ['10.0.0.1', { members: [member, stranger] }],
          ['10.0.0.4', { members: [member] }],
        ]),
        kubernetes: { configured: false },
      }).map(c => [c.id, c]),
    );
    expect(checks['etcd-consistent'].reason).toBe(
      'cp2: expected to have ["cp","rogue"] members, got ["cp"]',
    );
    expect(checks['etcd-control-plane'].reason).toBe(
      'etcd members rogue are not control-plane nodes',
    );
  });
});
