import { TalosMachine } from './TalosMachine';

/**
 * What a node's /proc, /sys, containerd and kernel log hold, for the
 * MachineService calls that read them (talosctl containers, processes,
 * mounts, dashboard graphs, dmesg, logs). Counters grow with uptime so
 * successive calls make rates, as the dashboard computes them.
 */
const GIB = 1024 ** 3;

/** The system containers machined runs on a node (namespace "system"). */
function systemServices(m: TalosMachine) {
  return m
    .services()
    .filter(s => ['apid', 'trustd', 'etcd', 'kubelet'].includes(s.id))
    .map(s => s.id);
}

function imageOf(m: TalosMachine, id: string) {
  switch (id) {
    case 'etcd':
      return 'gcr.io/etcd-development/etcd:v3.5.21';
    case 'kubelet':
      return `ghcr.io/siderolabs/kubelet:${m.kubernetesVersion}`;
    default:
      return `ghcr.io/siderolabs/${id}:${m.talosVersion}`;
  }
}

export function containers(m: TalosMachine, namespace: string) {
  if (namespace === 'k8s.io') {
    // The CRI namespace: the control plane's static pods (the sim's
    // Kubernetes API serves the others).
    if (!m.isControlPlane) return [];
    return ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map(
      (name, i) => ({
        namespace: 'k8s.io',
        id: `${name}-${m.hostname}`,
        image: `registry.k8s.io/${name}:${m.kubernetesVersion}`,
        pid: 2100 + i * 40,
        status: 'CONTAINER_RUNNING',
        pod_id: `kube-system/${name}-${m.hostname}`,
        name,
        network_namespace: '',
        internal_id: hex(m, `cri:${name}`),
        uid: '',
      }),
    );
  }
  return systemServices(m).map((id, i) => ({
    namespace: 'system',
    id,
    image: imageOf(m, id),
    pid: 1200 + i * 37,
    status: 'RUNNING',
    pod_id: '',
    name: id,
    network_namespace: '',
    internal_id: hex(m, `system:${id}`),
    uid: '',
  }));
}

export function containerStats(m: TalosMachine, namespace: string) {
  return containers(m, namespace).map((c, i) => ({
    namespace: c.namespace,
    id: c.id,
    memory_usage: String((40 + i * 55) * 1024 * 1024),
    cpu_usage: String(Math.round(m.uptime() * (0.004 + i * 0.003) * 1e9)),
    pod_id: c.pod_id,
    name: c.name,
  }));
}

function hex(m: TalosMachine, key: string) {
  let out = '';
  let h = 2166136261;
  for (const c of `${m.hostname}:${key}`)
    h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  for (let i = 0; out.length < 64; i++) {
    h = Math.imul(h ^ i, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

export function processes(m: TalosMachine) {
  const up = m.uptime();
  const procs: [number, number, string, string, number, number][] = [
    // pid, ppid, command, executable, threads, resident MiB
    [1, 0, 'machined', '/sbin/init', 12, 80],
    [520, 1, 'udevd', '/sbin/udevd', 1, 6],
    [780, 1, 'containerd', '/bin/containerd', 14, 45],
    [1150, 780, 'containerd-shim', '/bin/containerd-shim-runc-v2', 11, 12],
    ...systemServices(m).map(
      (id, i) =>
        [
          1200 + i * 37,
          1150,
          id,
          `/usr/local/bin/${id}`,
          9 + i,
          30 + i * 40,
        ] as [number, number, string, string, number, number],
    ),
  ];
  return procs.map(([pid, ppid, command, executable, threads, rssMiB], i) => ({
    pid,
    ppid,
    state: 'S',
    threads,
    cpu_time: Math.round(up * (0.002 + i * 0.0015) * 100) / 100,
    virtual_memory: String(rssMiB * 6 * 1024 * 1024),
    resident_memory: String(rssMiB * 1024 * 1024),
    command,
    executable,
    args: executable,
    label: '',
  }));
}

/** `talosctl mounts` (df of the node's filesystems). */
export function mounts(m: TalosMachine) {
  const disk = m.guest.diskGiB * GIB;
  const ephemeral = disk - 2.3 * GIB;
  const used = Math.min(0.6, 0.12 + m.uptime() / 1e8) * ephemeral;
  return [
    { filesystem: 'overlay', size: 0, available: 0, mounted_on: '/' },
    {
      filesystem: '/dev/sda5',
      size: 100 * 1024 * 1024,
      available: 92 * 1024 * 1024,
      mounted_on: '/system/state',
    },
    {
      filesystem: '/dev/sda6',
      size: ephemeral,
      available: ephemeral - used,
      mounted_on: '/var',
    },
  ].map(s => ({
    ...s,
    size: String(Math.round(s.size)),
    available: String(Math.round(s.available)),
  }));
}

/** /proc/diskstats counters for the VM's disk and CD drive. */
export function diskStats(m: TalosMachine) {
  const up = m.uptime();
  const dev = (name: string, scale: number) => {
    const reads = Math.round(up * 3.1 * scale);
    const writes = Math.round(up * 11.7 * scale);
    return {
      name,
      read_completed: String(reads),
      read_merged: String(Math.round(reads * 0.2)),
      read_sectors: String(reads * 16),
      read_time_ms: String(Math.round(reads * 0.4)),
      write_completed: String(writes),
      write_merged: String(Math.round(writes * 0.6)),
      write_sectors: String(writes * 24),
      write_time_ms: String(Math.round(writes * 0.9)),
      io_in_progress: '0',
      io_time_ms: String(Math.round((reads + writes) * 0.3)),
      io_time_weighted_ms: String(Math.round((reads + writes) * 0.7)),
    };
  };
  const devices = [dev('sda', 1), dev('sr0', 0.001)];
  const sum = (k: keyof (typeof devices)[0]) =>
    String(devices.reduce((a, d) => a + Number(d[k]), 0));
  return {
    total: {
      name: 'total',
      ...Object.fromEntries(
        Object.keys(devices[0])
          .filter(k => k !== 'name')
          .map(k => [k, sum(k as keyof (typeof devices)[0])]),
      ),
    },
    devices,
  };
}

/** /proc/net/dev counters for eth0 and lo. */
export function networkDeviceStats(m: TalosMachine) {
  const up = m.uptime();
  const dev = (name: string, rate: number) => ({
    name,
    rx_bytes: String(Math.round(up * rate)),
    rx_packets: String(Math.round((up * rate) / 900)),
    rx_errors: '0',
    rx_dropped: name === 'eth0' ? String(Math.round(up / 86400)) : '0',
    tx_bytes: String(Math.round(up * rate * 0.7)),
    tx_packets: String(Math.round((up * rate * 0.7) / 800)),
    tx_errors: '0',
    tx_dropped: '0',
  });
  const devices = [
    dev('eth0', m.isControlPlane ? 52_000 : 210_000),
    dev('lo', 31_000),
  ];
  const total: Record<string, string> = { name: 'total' };
  for (const k of Object.keys(devices[0]).filter(key => key !== 'name')) {
    total[k] = String(
      devices.reduce((a, d) => a + Number(d[k as keyof typeof d]), 0),
    );
  }
  return { total, devices };
}

/** `talosctl netstat -l`: the node's listening sockets. */
export function listeningSockets(m: TalosMachine) {
  const ports: [number, string][] = [
    [50000, 'apid'],
    [10250, 'kubelet'],
    ...(m.isControlPlane
      ? ([
          [50001, 'trustd'],
          [2379, 'etcd'],
          [2380, 'etcd'],
          [6443, 'kube-apiserver'],
        ] as [number, string][])
      : []),
  ];
  return ports.map(([port, name]) => ({
    l4proto: 'tcp',
    localip: port === 10250 ? '0.0.0.0' : m.ip,
    localport: port,
    remoteip: '0.0.0.0',
    remoteport: 0,
    state: 'LISTEN',
    txqueue: '0',
    rxqueue: '0',
    process: { pid: 0, name },
    netns: '',
  }));
}

/** Kernel ring buffer lines, formatted as Talos's Dmesg sends them. */
export function kernelMessages(m: TalosMachine) {
  const boot = m.bootTime * 1000;
  const line = (
    afterMs: number,
    facility: string,
    priority: string,
    text: string,
  ) =>
    `${facility}: ${priority.padStart(7)}: [${new Date(
      boot + afterMs,
    ).toISOString()}]: ${text}`;
  return [
    line(
      0,
      'kern',
      'notice',
      `Linux version 6.12.40-talos (@buildkitsandbox) #1 SMP`,
    ),
    line(
      12,
      'kern',
      'info',
      `Command line: talos.platform=nocloud console=ttyS0 talos.dashboard.disabled=1`,
    ),
    line(410, 'kern', 'info', `virtio_net virtio1 eth0: renamed from enp6s18`),
    line(
      880,
      'kern',
      'info',
      `sd 2:0:0:0: [sda] ${m.guest.diskGiB * 2097152} 512-byte logical blocks`,
    ),
    line(
      2_300,
      'user',
      'warning',
      `[talos] machined starting, version ${m.talosVersion}`,
    ),
    line(
      9_100,
      'user',
      'warning',
      `[talos] service[apid](Running): Started task apid`,
    ),
    line(15_000, 'user', 'warning', `[talos] boot sequence: done`),
  ];
}

/** A service's log (`talosctl logs <service>`). */
export function serviceLog(m: TalosMachine, id: string): string[] | undefined {
  const service = m.services().find(s => s.id === id);
  if (!service) return undefined;
  return service.events.map(
    e => `${new Date(e.ts).toISOString()} [talos] ${id}: ${e.msg}`,
  );
}
