import { stringify } from 'yaml';
import { TalosMachine } from './TalosMachine';

/** The Image Factory schematic of the demo's VMs (qemu-guest-agent only). */
export const SCHEMATIC_ID =
  'ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515';

/**
 * The COSI resources a simulated node serves (`talosctl get …`), by full type
 * name, with the namespace, sensitivity and first Talos minor that has them
 * (pkg/machinery/resources/*). Specs are the YAML forms Talos prints.
 */
export type ResourceTypeInfo = {
  namespace: string;
  /** Sensitive types need os:admin (internal/app/resources/access.go). */
  sensitive?: boolean;
  /** First Talos 1.x minor that registers the type. */
  since?: number;
  /** Aliases the type's ResourceDefinition declares (read from its Go source). */
  aliases?: string[];
  /** `talosctl get` columns the type's ResourceDefinition declares. */
  printColumns?: { name: string; jsonPath: string }[];
  list(m: TalosMachine, cluster: TalosMachine[]): SimResource[];
};

export type SimResource = {
  id: string;
  spec: unknown;
  /** Resource version; bumps when the spec changes. */
  version?: number;
  created?: number;
  updated?: number;
};

const one = (id: string, spec: unknown): SimResource[] => [{ id, spec }];

function staticPodImage(component: string, m: TalosMachine) {
  return `registry.k8s.io/${component}:${m.kubernetesVersion}`;
}

const CONTROL_PLANE_PODS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
];

function gib(n: number) {
  return Math.round(n * 1024 * 1024 * 1024);
}

function prettySize(bytes: number) {
  return `${Math.round(bytes / 1e9)} GB`;
}

function clusterId(m: TalosMachine) {
  return Buffer.from(`${m.cluster.clusterName}-cluster-id-demo`).toString(
    'base64',
  );
}

export const RESOURCE_TYPES: Record<string, ResourceTypeInfo> = {
  'MachineStatuses.runtime.talos.dev': {
    namespace: 'runtime',
    list: m => {
      const required = [
        'apid',
        'machined',
        'kubelet',
        ...(m.isControlPlane ? ['etcd', 'trustd'] : []),
      ];
      const unhealthy = m
        .services()
        .filter(s => required.includes(s.id) && !s.healthy)
        .map(s => s.id);
      return one('machine', {
        stage: 'running',
        status: {
          ready: unhealthy.length === 0,
          unmetConditions: unhealthy.length
            ? [
                {
                  name: 'services',
                  reason: `some services are not healthy: ${unhealthy.join(
                    ' ',
                  )}`,
                },
              ]
            : [],
        },
      });
    },
  },
  'Members.cluster.talos.dev': {
    namespace: 'cluster',
    list: (_m, cluster) =>
      cluster.map(n => ({
        id: n.hostname,
        spec: {
          nodeId: Buffer.from(`node-id-${n.hostname}`)
            .toString('base64')
            .replace(/=+$/, ''),
          addresses: [n.ip],
          hostname: n.hostname,
          machineType: n.role,
          operatingSystem: n.osImage,
          ...(n.isControlPlane
            ? { controlPlane: { apiServerPort: 6443 } }
            : {}),
        },
      })),
  },
  'Infos.cluster.talos.dev': {
    namespace: 'cluster',
    list: m =>
      one('current', {
        clusterId: clusterId(m),
        clusterName: m.cluster.clusterName,
      }),
  },
  'Nodenames.kubernetes.talos.dev': {
    namespace: 'k8s',
    list: m =>
      one('nodename', {
        nodename: m.hostname,
        hostnameVersion: '2',
        skipNodeRegistration: false,
      }),
  },
  'StaticPods.kubernetes.talos.dev': {
    namespace: 'k8s',
    list: m =>
      m.isControlPlane
        ? CONTROL_PLANE_PODS.map(c => ({
            id: c,
            spec: {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: {
                name: c,
                namespace: 'kube-system',
                labels: { 'k8s-app': c, tier: 'control-plane' },
              },
              spec: {
                hostNetwork: true,
                priorityClassName: 'system-cluster-critical',
                containers: [
                  {
                    name: c,
                    image: staticPodImage(c, m),
                    command: [`/usr/local/bin/${c}`],
                  },
                ],
              },
            },
          }))
        : [],
  },
  'StaticPodStatuses.kubernetes.talos.dev': {
    aliases: ['podstatus'],
    namespace: 'k8s',
    list: m =>
      m.isControlPlane
        ? CONTROL_PLANE_PODS.map(c => ({
            id: `kube-system/${c}-${m.hostname}`,
            spec: {
              phase: 'Running',
              conditions: [
                'Initialized',
                'Ready',
                'ContainersReady',
                'PodScheduled',
              ].map(type => ({
                type,
                status: 'True',
                lastTransitionTime: new Date(
                  m.bootTime * 1000 + 60_000,
                ).toISOString(),
              })),
              hostIP: m.ip,
              podIP: m.ip,
              startTime: new Date(m.bootTime * 1000 + 20_000).toISOString(),
              containerStatuses: [
                {
                  name: c,
                  ready: true,
                  restartCount: 0,
                  image: staticPodImage(c, m),
                  started: true,
                  state: {
                    running: {
                      startedAt: new Date(
                        m.bootTime * 1000 + 30_000,
                      ).toISOString(),
                    },
                  },
                },
              ],
            },
          }))
        : [],
  },
  'KubeletSpecs.kubernetes.talos.dev': {
    namespace: 'k8s',
    sensitive: true,
    list: m =>
      one('kubelet', {
        image: `ghcr.io/siderolabs/kubelet:${m.kubernetesVersion}`,
        args: [
          '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubeconfig',
          '--config=/etc/kubernetes/kubelet.yaml',
          '--kubeconfig=/etc/kubernetes/kubeconfig-kubelet',
          `--hostname-override=${m.hostname}`,
          `--node-ip=${m.ip}`,
        ],
        expectedNodename: m.hostname,
        config: {
          apiVersion: 'kubelet.config.k8s.io/v1beta1',
          kind: 'KubeletConfiguration',
        },
      }),
  },
  'KubeletStatuses.kubernetes.talos.dev': {
    namespace: 'k8s',
    since: 14,
    list: m =>
      one('kubelet', {
        image: `ghcr.io/siderolabs/kubelet:${m.kubernetesVersion}`,
      }),
  },
  'Services.v1alpha1.talos.dev': {
    aliases: ['svc'],
    namespace: 'runtime',
    list: m =>
      m.services().map(s => ({
        id: s.id,
        spec: {
          running: s.state === 'Running',
          healthy: s.healthy,
          unknown: s.unknown,
        },
      })),
  },
  'Versions.runtime.talos.dev': {
    namespace: 'runtime',
    list: m =>
      one('version', {
        version: m.talosVersion,
        ...(m.minor >= 14 ? { name: 'Talos' } : {}),
      }),
  },
  'MachineTypes.config.talos.dev': {
    namespace: 'config',
    list: m => one('machine-type', m.role),
  },
  'MachineConfigs.config.talos.dev': {
    namespace: 'config',
    sensitive: true,
    list: m =>
      one('v1alpha1', {
        version: 'v1alpha1',
        machine: {
          type: m.role,
          token: 'redacted-in-demo',
          network: { hostname: m.hostname },
        },
        cluster: {
          clusterName: m.cluster.clusterName,
          controlPlane: { endpoint: m.cluster.endpoint },
        },
      }),
  },
  'EtcdMembers.etcd.talos.dev': {
    namespace: 'etcd',
    list: m =>
      m.isControlPlane
        ? one('local', {
            memberID: m.etcdMemberId().toString(16).padStart(16, '0'),
          })
        : [],
  },
  'HostnameStatuses.net.talos.dev': {
    namespace: 'network',
    list: m => one('hostname', { hostname: m.hostname, domainname: '' }),
  },
  'NodeAddresses.net.talos.dev': {
    namespace: 'network',
    list: m =>
      ['default', 'current', 'accumulative', 'routed'].map(id => ({
        id,
        spec: { addresses: [`${m.ip}/24`], sortAlgorithm: 'v1' },
      })),
  },
  'LinkStatuses.net.talos.dev': {
    aliases: ['link', 'links'],
    namespace: 'network',
    list: m => [
      {
        id: 'eth0',
        spec: {
          index: 2,
          type: 'ether',
          linkIndex: 0,
          flags: 'UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP',
          hardwareAddr: m.mac,
          permanentAddr: m.mac,
          broadcastAddr: 'ff:ff:ff:ff:ff:ff',
          mtu: 1500,
          queueDisc: 'pfifo_fast',
          operationalState: 'up',
          kind: '',
          linkState: true,
          driver: 'virtio_net',
          busPath: 'virtio1',
          pciID: '1AF4:1000',
        },
      },
      {
        id: 'lo',
        spec: {
          index: 1,
          type: 'loopback',
          linkIndex: 0,
          flags: 'UP,LOOPBACK,RUNNING,LOWER_UP',
          hardwareAddr: '00:00:00:00:00:00',
          permanentAddr: '',
          broadcastAddr: '00:00:00:00:00:00',
          mtu: 65536,
          queueDisc: 'noqueue',
          operationalState: 'unknown',
          kind: '',
          linkState: true,
        },
      },
    ],
  },
  'Disks.block.talos.dev': {
    namespace: 'runtime',
    list: m => {
      const size = gib(m.guest.diskGiB);
      return [
        {
          id: 'sda',
          spec: {
            dev_path: '/dev/sda',
            size,
            pretty_size: prettySize(size),
            io_size: 512,
            sector_size: 512,
            readonly: false,
            cdrom: false,
            model: 'QEMU HARDDISK',
            serial: `drive-scsi0`,
            modalias: 'scsi:t-0x00',
            bus_path:
              '/pci0000:00/0000:00:05.0/0000:01:01.0/virtio2/host2/target2:0:0/2:0:0:0',
            sub_system: '/sys/class/block',
            transport: 'virtio',
            rotational: true,
            symlinks: [
              '/dev/disk/by-diskseq/1',
              '/dev/disk/by-path/pci-0000:01:01.0-scsi-0:0:0:0',
            ],
          },
        },
        {
          id: 'sr0',
          spec: {
            dev_path: '/dev/sr0',
            size: 0,
            pretty_size: '0 B',
            io_size: 2048,
            sector_size: 2048,
            readonly: true,
            cdrom: true,
            model: 'QEMU DVD-ROM',
            sub_system: '/sys/class/block',
            transport: 'ata',
          },
        },
      ];
    },
  },
  'SystemDisks.block.talos.dev': {
    namespace: 'runtime',
    list: () => one('system-disk', { diskID: 'sda', devPath: '/dev/sda' }),
  },
  'VolumeStatuses.block.talos.dev': {
    namespace: 'runtime',
    list: m => {
      const disk = gib(m.guest.diskGiB);
      const state = 100 * 1024 * 1024;
      const meta = 1024 * 1024;
      const ephemeral = disk - gib(3) - state - meta;
      const volume = (
        id: string,
        location: string,
        size: number,
        filesystem: string,
        mount: string,
        index: number,
      ) => ({
        id,
        spec: {
          phase: 'ready',
          type: 'partition',
          location,
          mountLocation: mount,
          partitionIndex: index,
          parentLocation: '/dev/sda',
          size,
          prettySize: prettySize(size),
          filesystem,
        },
      });
      return [
        volume('META', '/dev/sda4', meta, 'none', '', 4),
        volume('STATE', '/dev/sda5', state, 'xfs', '/system/state', 5),
        volume('EPHEMERAL', '/dev/sda6', ephemeral, 'xfs', '/var', 6),
      ];
    },
  },
  'SystemInformations.hardware.talos.dev': {
    namespace: 'hardware',
    list: m =>
      one('systeminformation', {
        manufacturer: 'QEMU',
        productName: 'Standard PC (Q35 + ICH9, 2009)',
        version: 'pc-q35-9.2+pve1',
        ...(m.guest.smbiosUuid ? { uuid: m.guest.smbiosUuid } : {}),
        wakeUpType: 'Power Switch',
      }),
  },
  'Diagnostics.runtime.talos.dev': {
    namespace: 'runtime',
    list: () => [],
  },
  'ExtensionStatuses.runtime.talos.dev': {
    namespace: 'runtime',
    list: m =>
      m.guest.guestAgent
        ? [
            {
              id: 'qemu-guest-agent',
              spec: {
                image: 'qemu-guest-agent.sqsh',
                metadata: {
                  name: 'qemu-guest-agent',
                  version: '9.2.0',
                  author: 'Markus Reiter',
                  description:
                    'This system extension provides the QEMU Guest Agent service.',
                  compatibility: {
                    talos: {
                      version: `>= ${m.talosVersion.replace(/\.\d+$/, '.0')}`,
                    },
                  },
                },
              },
            },
            {
              id: 'schematic',
              spec: {
                image: '',
                metadata: {
                  name: 'schematic',
                  version: SCHEMATIC_ID,
                  description: '',
                },
              },
            },
          ]
        : [],
  },
  'ImageFactorySchematics.runtime.talos.dev': {
    namespace: 'runtime',
    since: 14,
    list: m =>
      m.guest.guestAgent
        ? one('image-factory-schematic', {
            schematicId: SCHEMATIC_ID,
            flavor: 'nocloud',
            apiUrl: 'https://factory.talos.dev',
          })
        : [],
  },
};

Object.assign(RESOURCE_TYPES, {
  'AddressStatuses.net.talos.dev': {
    namespace: 'network',
    aliases: ['address', 'addresses'],
    printColumns: [
      { name: 'Address', jsonPath: '{.address}' },
      { name: 'Link', jsonPath: '{.linkName}' },
    ],
    list: m => {
      const prefix = m.ip.split('.').slice(0, 3).join('.');
      const address = (
        linkName: string,
        linkIndex: number,
        cidr: string,
        extra: Record<string, unknown>,
      ) => ({
        id: `${linkName}/${cidr}`,
        spec: {
          address: cidr,
          ...extra,
          linkIndex,
          linkName,
          family: 'inet4',
          flags: 'permanent',
          priority: 1024,
        },
      });
      return [
        address('eth0', 2, `${m.ip}/24`, {
          local: m.ip,
          broadcast: `${prefix}.255`,
          scope: 'global',
        }),
        address('lo', 1, '127.0.0.1/8', { local: '127.0.0.1', scope: 'host' }),
      ];
    },
  },
  'MemoryStats.perf.talos.dev': {
    namespace: 'perf',
    list: m => {
      const mem = m.memInfo();
      return one('latest', {
        total: mem.memtotal,
        used: mem.memtotal - mem.memfree,
        available: mem.memavailable,
        buffers: mem.buffers,
        cached: mem.cached,
        swapCached: mem.swapcached,
        active: mem.active,
        inactive: mem.inactive,
        swapTotal: mem.swaptotal,
        swapFree: mem.swapfree,
        dirty: mem.dirty,
        shmem: mem.shmem,
        slab: mem.slab,
      });
    },
  },
  'Processors.hardware.talos.dev': {
    namespace: 'hardware',
    aliases: ['cpus', 'cpu'],
    printColumns: [
      { name: 'Manufacturer', jsonPath: '{.manufacturer}' },
      { name: 'Model', jsonPath: '{.productName}' },
      { name: 'Cores', jsonPath: '{.coreCount}' },
      { name: 'Threads', jsonPath: '{.threadCount}' },
    ],
    // QEMU's SMBIOS: one socket, "CPU 0" (the controller makes it CPU-0).
    list: m =>
      one('CPU-0', {
        socket: 'CPU 0',
        manufacturer: 'QEMU',
        productName: 'pc-q35-9.2',
        maxSpeedMhz: 2000,
        bootSpeedMhz: 2000,
        status: 65,
        coreCount: m.cpus,
        coreEnabled: m.cpus,
        threadCount: m.cpus,
      }),
  },
  'SecurityStates.talos.dev': {
    namespace: 'runtime',
    printColumns: [
      { name: 'SecureBoot', jsonPath: '{.secureBoot}' },
      {
        name: 'UKISigningKeyFingerprint',
        jsonPath: '{.ukiSigningKeyFingerprint}',
      },
      {
        name: 'PCRSigningKeyFingerprint',
        jsonPath: '{.pcrSigningKeyFingerprint}',
      },
      { name: 'SELinuxState', jsonPath: '{.selinuxState}' },
      {
        name: 'ModuleSignatureEnforced',
        jsonPath: '{.moduleSignatureEnforced}',
      },
    ],
    // A nocloud VM booted from a disk image: no Secure Boot, no UKI.
    list: () =>
      one('securitystate', { secureBoot: false, selinuxState: 'disabled' }),
  },
} satisfies Record<string, ResourceTypeInfo>);

/** Talos's namespaces and their descriptions (v1alpha2_state.go), plus COSI's own `meta`. */
const NAMESPACE_DESCRIPTIONS: Record<string, string> = {
  cluster: 'Cluster configuration and discovery resources.',
  'cluster-raw': 'Cluster unmerged raw resources.',
  config: 'Talos node configuration.',
  controlplane: 'Kubernetes control plane resources.',
  cri: 'CRI Seccomp resources.',
  etcd: 'etcd resources.',
  files: 'Files and file-like resources.',
  hardware: 'Hardware resources.',
  k8s: 'Kubernetes all node types resources.',
  kubespan: 'KubeSpan resources.',
  meta: 'Metadata namespace which contains resource and namespace definitions.',
  network: 'Networking resources.',
  'network-config': 'Networking configuration resources.',
  perf: 'Stats resources.',
  runtime: 'Talos v1alpha1 subsystems glue resources.',
  secrets: 'Resources with secret material.',
  security: 'Security resources.',
};

/** cosi-project/runtime ResourceDefinitionSpec.Fill: display type and automatic aliases. */
export function resourceDefinition(type: string, info: ResourceTypeInfo) {
  const [name, ...suffixParts] = type.split('.');
  let singular = name.slice(0, -1);
  if (/(sses|uses)$/.test(name)) singular = name.slice(0, -2);
  else if (name.endsWith('ies')) singular = `${name.slice(0, -3)}y`;
  const aliases = [...(info.aliases ?? []), singular.toLowerCase()];
  const allAliases = [name.toLowerCase()];
  for (let i = 1; i < suffixParts.length; i++) {
    allAliases.push([name.toLowerCase(), ...suffixParts.slice(0, i)].join('.'));
  }
  const upper = name.replace(/[^A-Z]/g, '');
  if (upper.length > 1) {
    aliases.push(upper.toLowerCase());
    if (!upper.endsWith('S')) aliases.push(`${upper.toLowerCase()}s`);
  }
  return {
    type,
    displayType: singular,
    defaultNamespace: info.namespace,
    aliases,
    allAliases: [...allAliases, ...aliases],
    printColumns: info.printColumns ?? [],
    ...(info.sensitive && { sensitivity: 'sensitive' }),
  };
}

const META_TYPES: Record<string, ResourceTypeInfo> = {
  'ResourceDefinitions.meta.cosi.dev': {
    namespace: 'meta',
    list: m =>
      Object.entries(RESOURCE_TYPES)
        .filter(([, info]) => info.since === undefined || m.minor >= info.since)
        .map(([type, info]) => ({
          id: type.toLowerCase(),
          spec: resourceDefinition(type, info),
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
  },
  'Namespaces.meta.cosi.dev': {
    namespace: 'meta',
    list: () =>
      Object.entries(NAMESPACE_DESCRIPTIONS).map(([id, description]) => ({
        id,
        spec: { description },
      })),
  },
};
Object.assign(RESOURCE_TYPES, META_TYPES);

/** The namespaces Talos has; anything else is "not supported". */
export const NAMESPACES = new Set(Object.keys(NAMESPACE_DESCRIPTIONS));

/** The YAML spec as Talos's COSI server fills `yaml_spec`. */
export function yamlSpec(spec: unknown): string {
  return stringify(spec, { lineWidth: 0 });
}
