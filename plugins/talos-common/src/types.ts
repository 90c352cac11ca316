/**
 * What the Talos backend answers and the frontend renders. Times are ISO
 * strings, sizes bytes, ids of etcd members 16-digit hex (as talosctl prints
 * them).
 */

/**
 * Why a call to a node did not give an answer, in words a homelab admin can
 * act on.
 *
 * @public
 */
export type TalosProblemKind =
  /** The node (or the endpoint in front of it) did not answer. */
  | 'unreachable'
  /** The call took longer than the configured timeout. */
  | 'timeout'
  /** TLS failed: the CA does not match, or the client certificate was refused. */
  | 'tls'
  /** The talosconfig's role may not make this call. */
  | 'permission'
  /** The node does not offer this API (e.g. etcd on a worker). */
  | 'unimplemented'
  /** The resource does not exist on the node. */
  | 'not-found'
  /** The answer could not be decoded. */
  | 'malformed'
  | 'error';

/** @public */
export type TalosProblem = {
  kind: TalosProblemKind;
  message: string;
};

/** @public */
export type TalosClusterRef = {
  name: string;
  title: string;
  /** Where the portal reaches the Talos API (host:port). */
  endpoints: string[];
};

/** @public */
export type TalosServiceView = {
  id: string;
  /** Talos service state: Running, Waiting, Failed, Finished, … */
  state: string;
  health: 'healthy' | 'unhealthy' | 'unknown';
  lastMessage: string;
  lastChange?: string;
  events: { message: string; state: string; at?: string }[];
};

/** @public */
export type TalosDiskView = {
  id: string;
  devPath: string;
  sizeBytes: number;
  model?: string;
  serial?: string;
  transport?: string;
  rotational: boolean;
  readonly: boolean;
  cdrom: boolean;
  /** The disk Talos is installed on. */
  system: boolean;
};

/** @public */
export type TalosVolumeView = {
  id: string;
  phase: string;
  location?: string;
  mountLocation?: string;
  sizeBytes: number;
  filesystem?: string;
};

/** One sample of a node's gauges, for the charts. @public */
export type TalosNodeSample = {
  at: string;
  cpuPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  load1?: number;
};

/** @public */
export type TalosNodeRole = 'controlplane' | 'worker' | 'init' | 'unknown';

/** @public */
export type TalosNodeView = {
  /** The address as the talosconfig (or cluster discovery) names the node. */
  address: string;
  hostname?: string;
  /** The Kubernetes node name Talos registers (usually the hostname). */
  nodename?: string;
  role: TalosNodeRole;
  reachable: boolean;
  /** Why the node could not be read at all. */
  error?: TalosProblem;
  /** Parts that could not be read while the node answered (say why). */
  problems: { part: string; problem: TalosProblem }[];
  talosVersion?: string;
  kubernetesVersion?: string;
  /** Where the Kubernetes version came from (the API to use depends on the Talos version and role). */
  kubernetesVersionSource?:
    | 'KubeletStatus'
    | 'KubeletSpec'
    | 'static pod image'
    | 'Kubernetes Node';
  stage?: string;
  ready?: boolean;
  unmetConditions: { name: string; reason: string }[];
  bootTime?: string;
  uptimeSeconds?: number;
  cpu?: { count: number; model?: string; mhz?: number; usagePercent?: number };
  memory?: { totalBytes: number; usedBytes: number; availableBytes: number };
  load?: { load1: number; load5: number; load15: number };
  services: TalosServiceView[];
  disks: TalosDiskView[];
  volumes: TalosVolumeView[];
  hardware: {
    uuid?: string;
    manufacturer?: string;
    productName?: string;
    macs: string[];
    addresses: string[];
  };
  extensions: { name: string; version: string }[];
  schematicId?: string;
  diagnostics: { id: string; message: string; details: string[] }[];
  history: TalosNodeSample[];
  fetchedAt: string;
};

/** @public */
export type TalosEtcdMemberView = {
  id: string;
  hostname: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
  isLeader: boolean;
  status?: {
    dbSizeBytes: number;
    dbSizeInUseBytes: number;
    raftIndex: string;
    raftTerm: string;
    protocolVersion: string;
    storageVersion?: string;
    errors: string[];
  };
  statusError?: TalosProblem;
  alarms: string[];
};

/** @public */
export type TalosEtcdView = {
  members: TalosEtcdMemberView[];
  leaderId?: string;
  error?: TalosProblem;
};

/** @public */
export type TalosHealthStatus = 'pass' | 'fail' | 'skipped';

/** One check of `talosctl health`, in its order. @public */
export type TalosHealthCheck = {
  id: string;
  title: string;
  status: TalosHealthStatus;
  reason: string;
};

/** @public */
export type TalosUpgradeAdvice = {
  /** Where the list of releases came from. */
  source: 'image-factory' | 'static' | 'none';
  error?: string;
  talos: {
    /** Versions running now, one per distinct version. */
    running: string[];
    latest?: string;
    /** Newest patch of the running minor. */
    latestPatch?: string;
    /** The steps to reach `latest` that the support matrix allows. */
    path: string[];
    notes: string[];
  };
  kubernetes: {
    running: string[];
    latest?: string;
    /** Newest release the running Talos supports. */
    latestSupported?: string;
    notes: string[];
  };
};

/** How two views of the same machine were matched. @public */
export type TalosMatchKey =
  | 'annotation'
  | 'smbios-uuid'
  | 'mac'
  | 'ip'
  | 'name';

/** A Talos node, the VM it runs in and its Kubernetes Node: one story. @public */
export type TalosNodeLink = {
  cluster: string;
  node: { address: string; hostname?: string; reachable: boolean };
  vm?: { entityRef: string; title?: string; matchedBy: TalosMatchKey };
  kubernetesNode?: {
    name: string;
    matchedBy: TalosMatchKey;
    ready?: boolean;
    kubeletVersion?: string;
    osImage?: string;
  };
};

/** @public */
export type TalosClusterView = {
  name: string;
  title: string;
  fetchedAt: string;
  endpoints: string[];
  /** Roles of the portal's client certificate (what it may read). */
  roles: string[];
  nodes: TalosNodeView[];
  etcd: TalosEtcdView;
  health: TalosHealthCheck[];
  upgrades: TalosUpgradeAdvice;
  links: TalosNodeLink[];
  kubernetes: { configured: boolean; error?: string };
};

/** What the Talos tab of a VM entity shows. @public */
export type TalosEntityView = {
  link: TalosNodeLink;
  node: TalosNodeView;
};
