import type { Entity } from '@backstage/catalog-model';
import type { TalosNodeView } from '@homelab-portal/plugin-talos-common';
import { correlate, vmFactsOf } from './correlate';

const entity = (
  name: string,
  title: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', title, annotations },
  spec: { type: 'virtual-machine' },
});

const node = (over: Partial<TalosNodeView>): TalosNodeView =>
  ({
    address: '10.0.0.5',
    hostname: 'talos-a',
    role: 'worker',
    reachable: true,
    problems: [],
    unmetConditions: [],
    services: [],
    disks: [],
    volumes: [],
    hardware: {
      uuid: 'aaaaaaaa-0000-4000-8000-000000000001',
      macs: ['bc:24:11:00:00:01'],
      addresses: ['10.0.0.5'],
    },
    extensions: [],
    diagnostics: [],
    history: [],
    fetchedAt: '',
    ...over,
  } as TalosNodeView);

describe('correlate', () => {
  it('reads identities from any annotation value, lists and CIDRs included', () => {
    const facts = vmFactsOf(
      entity('proxmox-home-vm-7', 'talos-a (VM 7)', {
        'proxmox.homelab.dev/smbios-uuid':
          'AAAAAAAA-0000-4000-8000-000000000001',
        'proxmox.homelab.dev/macs': 'BC:24:11:00:00:01, BC-24-11-00-00-02',
        'proxmox.homelab.dev/ip-addresses': '10.0.0.5/24 fd00::5',
        'backstage.io/managed-by-location': 'url:https://pve.example:8006/',
      }),
    );
    expect(facts).toMatchObject({
      entityRef: 'resource:default/proxmox-home-vm-7',
      uuids: ['aaaaaaaa-0000-4000-8000-000000000001'],
      macs: ['bc:24:11:00:00:01', 'bc:24:11:00:00:02'],
      ips: ['10.0.0.5', 'fd00::5'],
      guestName: 'talos-a',
    });
  });

  it('prefers the strongest key: annotation, UUID, MAC, IP, then name', () => {
    const n = node({});
    const vms = [
      entity('by-name', 'talos-a (VM 1)', {}),
      entity('by-ip', 'x (VM 2)', { a: '10.0.0.5' }),
      entity('by-mac', 'y (VM 3)', { a: 'bc:24:11:00:00:01' }),
      entity('by-uuid', 'z (VM 4)', {
        a: 'aaaaaaaa-0000-4000-8000-000000000001',
      }),
    ].map(vmFactsOf);
    const kube = [
      {
        name: 'other',
        ready: true,
        unschedulable: false,
        internalIPs: ['10.0.0.5'],
        controlPlane: false,
      },
      {
        name: 'talos-a',
        ready: false,
        unschedulable: false,
        internalIPs: ['10.0.0.9'],
        controlPlane: false,
        systemUUID: 'AAAAAAAA-0000-4000-8000-000000000001',
      },
    ];
    const [link] = correlate('c', [n], vms, kube);
    expect(link.vm).toMatchObject({
      entityRef: 'resource:default/by-uuid',
      matchedBy: 'smbios-uuid',
    });
    expect(link.kubernetesNode).toMatchObject({
      name: 'talos-a',
      matchedBy: 'smbios-uuid',
      ready: false,
    });

    const annotated = vmFactsOf(
      entity('pinned', 'q (VM 5)', { 'talos.homelab.dev/node': '10.0.0.5' }),
    );
    expect(correlate('c', [n], [...vms, annotated], [])[0].vm?.matchedBy).toBe(
      'annotation',
    );
    expect(
      correlate(
        'c',
        [node({ hardware: { macs: [], addresses: [] } })],
        vms.slice(0, 2),
        [],
      )[0].vm,
    ).toMatchObject({
      entityRef: 'resource:default/by-ip',
      matchedBy: 'ip',
    });
  });

  it('links nothing when a key is ambiguous or absent', () => {
    const twins = [
      entity('a', 'talos-a (VM 1)', {}),
      entity('b', 'talos-a (VM 2)', {}),
    ].map(vmFactsOf);
    const [link] = correlate(
      'c',
      [node({ hardware: { macs: [], addresses: [] }, address: '10.9.9.9' })],
      twins,
      [],
    );
    expect(link.vm).toBeUndefined();
    expect(link.kubernetesNode).toBeUndefined();
  });
});
