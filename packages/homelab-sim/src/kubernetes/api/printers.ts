import type { KubeObject } from '../cluster/ClusterModel';

/**
 * The API server's table printers (pkg/printers/internalversion/printers.go,
 * kubernetes master as of 1.34): per built-in kind the column definitions
 * and the cells, always computed "wide" as the server does; kubectl hides
 * priority-1 columns unless `-o wide`. Kinds without a printer get the
 * default Name / Created At table.
 */
export type Column = {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
};

type Cell = string | number | boolean;
type Printer = {
  columns: Column[];
  cells: (o: KubeObject, now: number) => Cell[];
};

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const DOCS: Record<string, string> = { Name: NAME_DOC, Age: AGE_DOC };

const col = (
  name: string,
  type = 'string',
  priority = 0,
  description = '',
): Column => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description: description || DOCS[name] || '',
  priority,
});
const wide = (name: string, type = 'string') => col(name, type, 1);

export const NAME_COLUMN = col('Name');

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: "<unknown>" for a missing time. */
export function since(timestamp: unknown, now: number) {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(String(timestamp)));
}

const age = (o: KubeObject, now: number) =>
  since(o.metadata.creationTimestamp, now);

/** labels.FormatLabels: sorted k=v joined by commas, "<none>" when empty. */
function formatLabels(labels?: Record<string, string>) {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return entries.length
    ? entries.map(([k, v]) => `${k}=${v}`).join(',')
    : '<none>';
}

/** metav1.FormatLabelSelector for matchLabels selectors. */
function formatSelector(selector?: { matchLabels?: Record<string, string> }) {
  if (!selector) return '<none>';
  const labels = formatLabels(selector.matchLabels);
  return labels === '<none>' ? '<none>' : labels;
}

function containerCells(containers: { name: string; image: string }[] = []) {
  return [
    containers.map(c => c.name).join(','),
    containers.map(c => c.image).join(','),
  ];
}

function podCells(pod: KubeObject, now: number): Cell[] {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || '';
  let restarts = 0;
  let lastRestart = 0;
  let ready = 0;
  let hasRunning = false;
  const statuses: any[] = status.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
    if (c.state?.waiting?.reason) {
      reason = c.state.waiting.reason;
    } else if (c.state?.terminated) {
      const t = c.state.terminated;
      reason =
        t.reason ||
        (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
    } else if (c.ready && c.state?.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  if (
    pod.metadata.deletionTimestamp &&
    !['Succeeded', 'Failed'].includes(status.phase)
  ) {
    reason = 'Terminating';
  }
  const restartText =
    restarts !== 0 && lastRestart
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  return [
    pod.metadata.name,
    `${ready}/${(pod.spec?.containers ?? []).length}`,
    reason,
    restartText,
    age(pod, now),
    status.podIPs?.[0]?.ip || '<none>',
    pod.spec?.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    pod.spec?.readinessGates?.length
      ? `0/${pod.spec.readinessGates.length}`
      : '<none>',
  ];
}

function hasCondition(o: KubeObject, type: string) {
  return (o.status?.conditions ?? []).some(
    (c: { type: string; status: string }) =>
      c.type === type && c.status === 'True',
  );
}

function jobCells(o: KubeObject, now: number): Cell[] {
  const s = o.status ?? {};
  const completions =
    o.spec?.completions !== undefined
      ? `${s.succeeded ?? 0}/${o.spec.completions}`
      : `${s.succeeded ?? 0}/1`;
  let duration = '';
  if (s.startTime) {
    duration = s.completionTime
      ? humanDuration(Date.parse(s.completionTime) - Date.parse(s.startTime))
      : humanDuration(now - Date.parse(s.startTime));
  }
  let state = 'Running';
  if (hasCondition(o, 'Complete')) state = 'Complete';
  else if (hasCondition(o, 'Failed')) state = 'Failed';
  else if (o.metadata.deletionTimestamp) state = 'Terminating';
  else if (hasCondition(o, 'Suspended')) state = 'Suspended';
  else if (hasCondition(o, 'FailureTarget')) state = 'FailureTarget';
  else if (hasCondition(o, 'SuccessCriteriaMet')) state = 'SuccessCriteriaMet';
  return [
    o.metadata.name,
    state,
    completions,
    duration,
    age(o, now),
    ...containerCells(o.spec?.template?.spec?.containers),
    formatSelector(o.spec?.selector),
  ];
}

function servicePorts(ports: any[] = []) {
  const text = ports
    .map(p =>
      p.nodePort > 0
        ? `${p.port}:${p.nodePort}/${p.protocol}`
        : `${p.port}/${p.protocol}`,
    )
    .join(',');
  return text || '<none>';
}

function serviceExternalIP(o: KubeObject) {
  const external: string[] = o.spec?.externalIPs ?? [];
  switch (o.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = (o.status?.loadBalancer?.ingress ?? [])
        .map((i: any) => i.ip || i.hostname)
        .filter(Boolean);
      const all = [...new Set<string>(lb)].sort().concat(external);
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return o.spec.externalName;
    default:
      return '<unknown>';
  }
}

function listWithMore(list: string[], count: number, max: number) {
  if (count > max)
    return `${list.slice(0, max).join(',')} + ${count - max} more...`;
  return list.length ? list.join(',') : '<unset>';
}

function endpointsText(o: KubeObject) {
  const subsets: any[] = o.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    for (const port of ss.ports ?? []) {
      for (const a of ss.addresses ?? []) {
        count++;
        if (list.length < 3) list.push(`${a.ip}:${port.port}`);
      }
    }
  }
  if (count > 3) return `${list.join(',')} + ${count - 3} more...`;
  return list.join(',');
}

function hpaTargets(o: KubeObject) {
  const specs: any[] = o.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses: any[] = o.status?.currentMetrics ?? [];
  const list = specs.map((spec, i) => {
    if (spec.type !== 'Resource') return '<unknown type>';
    const current = statuses[i]?.resource?.current?.averageUtilization;
    const target = spec.resource?.target?.averageUtilization;
    return `${spec.resource.name}: ${
      current !== undefined ? `${current}%` : '<unknown>'
    }/${target !== undefined ? `${target}%` : '<auto>'}`;
  });
  return list.length > 2
    ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`
    : list.join(', ');
}

function accessModes(modes: string[] = []) {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return modes.map(m => short[m] ?? m).join(',');
}

function bindingCells(o: KubeObject, now: number): Cell[] {
  const subjects: any[] = o.subjects ?? [];
  const of = (kind: string) =>
    subjects
      .filter(s => s.kind === kind)
      .map(s =>
        kind === 'ServiceAccount' ? `${s.namespace}/${s.name}` : s.name,
      )
      .join(', ');
  return [
    o.metadata.name,
    `${o.roleRef.kind}/${o.roleRef.name}`,
    age(o, now),
    of('User'),
    of('Group'),
    of('ServiceAccount'),
  ];
}

const bindingPrinter: Printer = {
  columns: [
    col('Name'),
    col('Role'),
    col('Age'),
    wide('Users'),
    wide('Groups'),
    wide('ServiceAccounts'),
  ],
  cells: bindingCells,
};

/** By resource key (see resources.ts resourceKey). */
export const PRINTERS: Record<string, Printer> = {
  pods: {
    columns: [
      col('Name'),
      col('Ready'),
      col('Status'),
      col('Restarts'),
      col('Age'),
      wide('IP'),
      wide('Node'),
      wide('Nominated Node'),
      wide('Readiness Gates'),
    ],
    cells: podCells,
  },
  services: {
    columns: [
      col('Name'),
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      col('Age'),
      wide('Selector'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec.type,
      o.spec.clusterIPs?.[0] ?? '<none>',
      serviceExternalIP(o),
      servicePorts(o.spec.ports),
      age(o, now),
      formatLabels(o.spec.selector),
    ],
  },
  configmaps: {
    columns: [col('Name'), col('Data'), col('Age')],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      age(o, now),
    ],
  },
  secrets: {
    columns: [col('Name'), col('Type'), col('Data'), col('Age')],
    cells: (o, now) => [
      o.metadata.name,
      o.type,
      Object.keys(o.data ?? {}).length,
      age(o, now),
    ],
  },
  serviceaccounts: {
    columns: [col('Name'), col('Age')],
    cells: (o, now) => [o.metadata.name, age(o, now)],
  },
  resourcequotas: {
    columns: [col('Name'), col('Request'), col('Limit'), col('Age')],
    cells: (o, now) => {
      const hard: Record<string, string> = o.status?.hard ?? {};
      const used: Record<string, string> = o.status?.used ?? {};
      const request: string[] = [];
      const limit: string[] = [];
      for (const r of Object.keys(hard).sort()) {
        (r.startsWith('limits.') ? limit : request).push(
          `${r}: ${used[r] ?? '0'}/${hard[r]}`,
        );
      }
      return [
        o.metadata.name,
        request.join(', '),
        limit.join(', '),
        age(o, now),
      ];
    },
  },
  events: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      wide('Subobject'),
      wide('Source'),
      col('Message'),
      wide('First Seen'),
      wide('Count'),
      { ...wide('Name'), format: 'name', description: NAME_DOC },
    ],
    cells: (o, now) => {
      const first = since(o.firstTimestamp ?? o.eventTime, now);
      const last = o.lastTimestamp ? since(o.lastTimestamp, now) : first;
      const kind = String(o.involvedObject?.kind ?? '').toLowerCase();
      const target = o.involvedObject?.name
        ? `${kind}/${o.involvedObject.name}`
        : kind;
      const source = [
        o.source?.component || o.reportingComponent,
        o.source?.host || o.reportingInstance,
      ]
        .filter(Boolean)
        .join(', ');
      return [
        last,
        o.type,
        o.reason,
        target,
        o.involvedObject?.fieldPath ?? '',
        source,
        String(o.message ?? '').trim(),
        first,
        o.series?.count ?? (o.count || 1),
        o.metadata.name,
      ];
    },
  },
  namespaces: {
    columns: [col('Name'), col('Status'), col('Age')],
    cells: (o, now) => [o.metadata.name, o.status?.phase ?? '', age(o, now)],
  },
  nodes: {
    columns: [
      col('Name'),
      col('Status'),
      col('Roles'),
      col('Age'),
      col('Version'),
      wide('Internal-IP'),
      wide('External-IP'),
      wide('OS-Image'),
      wide('Kernel-Version'),
      wide('Container-Runtime'),
    ],
    cells: (o, now) => {
      const readyCond = (o.status?.conditions ?? []).find(
        (c: any) => c.type === 'Ready',
      );
      let ready = 'Unknown';
      if (readyCond) ready = readyCond.status === 'True' ? 'Ready' : 'NotReady';
      const status = [ready];
      if (o.spec?.unschedulable) status.push('SchedulingDisabled');
      const roles = Object.entries(o.metadata.labels ?? {})
        .flatMap(([k, v]) => {
          if (k.startsWith('node-role.kubernetes.io/'))
            return [k.slice('node-role.kubernetes.io/'.length)].filter(Boolean);
          return k === 'kubernetes.io/role' && v ? [v] : [];
        })
        .sort();
      const address = (type: string) =>
        (o.status?.addresses ?? []).find((a: any) => a.type === type)
          ?.address ?? '<none>';
      const info = o.status?.nodeInfo ?? {};
      return [
        o.metadata.name,
        status.join(','),
        roles.length ? [...new Set(roles)].join(',') : '<none>',
        age(o, now),
        info.kubeletVersion ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  'deployments.apps': {
    columns: [
      col('Name'),
      col('Ready'),
      col('Up-to-date'),
      col('Available'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      ...containerCells(o.spec?.template?.spec?.containers),
      formatSelector(o.spec?.selector),
    ],
  },
  'replicasets.apps': {
    columns: [
      col('Name'),
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      ...containerCells(o.spec?.template?.spec?.containers),
      formatSelector(o.spec?.selector),
    ],
  },
  'statefulsets.apps': {
    columns: [
      col('Name'),
      col('Ready'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      age(o, now),
      ...containerCells(o.spec?.template?.spec?.containers),
    ],
  },
  'daemonsets.apps': {
    columns: [
      col('Name'),
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      formatLabels(o.spec?.template?.spec?.nodeSelector),
      age(o, now),
      ...containerCells(o.spec?.template?.spec?.containers),
      formatSelector(o.spec?.selector),
    ],
  },
  'jobs.batch': {
    columns: [
      col('Name'),
      col('Status'),
      col('Completions'),
      col('Duration'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells: jobCells,
  },
  'cronjobs.batch': {
    columns: [
      col('Name'),
      col('Schedule'),
      col('Timezone'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      col('Age'),
      wide('Containers'),
      wide('Images'),
      wide('Selector'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec.schedule,
      o.spec.timeZone ?? '<none>',
      o.spec.suspend === undefined ? '<unset>' : String(o.spec.suspend),
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime
        ? since(o.status.lastScheduleTime, now)
        : '<none>',
      age(o, now),
      ...containerCells(o.spec?.jobTemplate?.spec?.template?.spec?.containers),
      formatSelector(o.spec?.jobTemplate?.spec?.selector),
    ],
  },
  'horizontalpodautoscalers.autoscaling': {
    columns: [
      col('Name'),
      col('Reference'),
      col('Targets'),
      col('MinPods'),
      col('MaxPods'),
      col('Replicas'),
      col('Age'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      `${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`,
      hpaTargets(o),
      o.spec.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas),
      o.spec.maxReplicas,
      o.status?.currentReplicas ?? 0,
      age(o, now),
    ],
  },
  'ingresses.networking.k8s.io': {
    columns: [
      col('Name'),
      col('Class'),
      col('Hosts'),
      col('Address'),
      col('Ports'),
      col('Age'),
    ],
    cells: (o, now) => {
      const hosts = (o.spec?.rules ?? [])
        .map((r: any) => r.host)
        .filter(Boolean);
      return [
        o.metadata.name,
        o.spec?.ingressClassName ?? '<none>',
        hosts.length ? hosts.slice(0, 3).join(',') : '*',
        (o.status?.loadBalancer?.ingress ?? [])
          .map((i: any) => i.ip || i.hostname)
          .join(','),
        o.spec?.tls?.length ? '80, 443' : '80',
        age(o, now),
      ];
    },
  },
  'ingressclasses.networking.k8s.io': {
    columns: [col('Name'), col('Controller'), col('Parameters'), col('Age')],
    cells: (o, now) => [
      o.metadata.name,
      o.spec.controller,
      o.spec.parameters
        ? `${o.spec.parameters.kind}${
            o.spec.parameters.apiGroup ? `.${o.spec.parameters.apiGroup}` : ''
          }/${o.spec.parameters.name}`
        : '<none>',
      age(o, now),
    ],
  },
  endpoints: {
    columns: [col('Name'), col('Endpoints'), col('Age')],
    cells: (o, now) => [o.metadata.name, endpointsText(o), age(o, now)],
  },
  'endpointslices.discovery.k8s.io': {
    columns: [
      col('Name'),
      col('AddressType'),
      col('Ports'),
      col('Endpoints'),
      col('Age'),
    ],
    cells: (o, now) => {
      const ports: any[] = o.ports ?? [];
      const addresses: string[] = (o.endpoints ?? []).flatMap(
        (e: any) => e.addresses,
      );
      return [
        o.metadata.name,
        o.addressType,
        listWithMore(
          ports.map(p => String(p.port ?? p.name ?? '*')),
          ports.length,
          3,
        ),
        listWithMore(addresses, addresses.length, 3),
        age(o, now),
      ];
    },
  },
  persistentvolumeclaims: {
    columns: [
      col('Name'),
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Age'),
      wide('VolumeMode'),
    ],
    cells: (o, now) => {
      const bound = Boolean(o.spec.volumeName);
      return [
        o.metadata.name,
        o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '',
        o.spec.volumeName ?? '',
        bound ? o.status?.capacity?.storage ?? '' : '',
        bound ? accessModes(o.status?.accessModes) : '',
        o.spec.storageClassName ?? '',
        o.spec.volumeAttributesClassName ?? '<unset>',
        age(o, now),
        o.spec.volumeMode ?? '<unset>',
      ];
    },
  },
  persistentvolumes: {
    columns: [
      col('Name'),
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      col('Age'),
      wide('VolumeMode'),
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec.capacity?.storage ?? '',
      accessModes(o.spec.accessModes),
      o.spec.persistentVolumeReclaimPolicy ?? '',
      o.metadata.deletionTimestamp ? 'Terminating' : o.status?.phase ?? '',
      o.spec.claimRef
        ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}`
        : '',
      o.spec.storageClassName ?? '',
      o.spec.volumeAttributesClassName ?? '<unset>',
      o.status?.reason ?? '',
      age(o, now),
      o.spec.volumeMode ?? '<unset>',
    ],
  },
  'storageclasses.storage.k8s.io': {
    columns: [
      col('Name'),
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion'),
      col('Age'),
    ],
    cells: (o, now) => [
      (o.metadata.annotations as Record<string, string> | undefined)?.[
        'storageclass.kubernetes.io/is-default-class'
      ] === 'true'
        ? `${o.metadata.name} (default)`
        : o.metadata.name,
      o.provisioner,
      o.reclaimPolicy ?? 'Delete',
      o.volumeBindingMode ?? 'Immediate',
      Boolean(o.allowVolumeExpansion),
      age(o, now),
    ],
  },
  'leases.coordination.k8s.io': {
    columns: [col('Name'), col('Holder'), col('Age')],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.holderIdentity ?? '',
      age(o, now),
    ],
  },
  'rolebindings.rbac.authorization.k8s.io': bindingPrinter,
  'clusterrolebindings.rbac.authorization.k8s.io': bindingPrinter,
};

/** rest.NewDefaultTableConvertor: Name and Created At (RFC 3339). */
export const DEFAULT_PRINTER: Printer = {
  columns: [
    col('Name'),
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: AGE_DOC,
      priority: 0,
    },
  ],
  cells: o => [o.metadata.name, String(o.metadata.creationTimestamp ?? '')],
};
