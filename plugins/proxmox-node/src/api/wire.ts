import { z } from 'zod';

/**
 * Parsers for what Proxmox VE 8.4 and 9.x send, written from the API schema
 * (pve-api-subset.json) and the PVE source that builds each answer. They
 * accept the real quirks (0/1 or "0"/"1" booleans, numbers as strings,
 * omitted optional keys, extra keys) and give plain numbers and booleans.
 * Anything that is not the API's shape fails with a path to the bad field.
 */

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number, also when sent as a string ("0.00", "3400.009"). */
export const pveNumber = z.union([
  z.number(),
  z.string().regex(numeric, 'expected a number').transform(Number),
]);

/** A boolean as PVE sends it: 0/1, "0"/"1", or true/false. */
export const pveBoolean = z.union([
  z.boolean(),
  z.number().transform(n => n !== 0),
  z
    .string()
    .regex(/^(0|1|true|false|yes|no|on|off)$/i, 'expected a 0/1 boolean')
    .transform(s => /^(1|true|yes|on)$/i.test(s)),
]);

const optNum = pveNumber.optional();
const optBool = pveBoolean.optional();
/** Tags: one `;`-separated string (older releases also used `,` or spaces). */
const tags = z
  .string()
  .optional()
  .transform(s => (s ? s.split(/[;, ]+/).filter(Boolean) : []));

// --- /cluster/resources ---------------------------------------------------

const guestResource = z.object({
  id: z.string(),
  type: z.enum(['qemu', 'lxc']),
  vmid: pveNumber.pipe(z.number().int().min(1)),
  node: z.string().min(1),
  status: z.string().default('unknown'),
  name: z.string().optional(),
  template: optBool,
  maxcpu: optNum,
  cpu: optNum,
  maxmem: optNum,
  mem: optNum,
  memhost: optNum,
  maxdisk: optNum,
  disk: optNum,
  netin: optNum,
  netout: optNum,
  diskread: optNum,
  diskwrite: optNum,
  uptime: optNum,
  tags,
  lock: z.string().optional(),
  pool: z.string().optional(),
  hastate: z.string().optional(),
});

const nodeResource = z.object({
  id: z.string(),
  type: z.literal('node'),
  node: z.string().min(1),
  status: z.string().default('unknown'),
  cpu: optNum,
  maxcpu: optNum,
  mem: optNum,
  maxmem: optNum,
  disk: optNum,
  maxdisk: optNum,
  uptime: optNum,
  level: z.string().optional(),
});

const storageResource = z.object({
  id: z.string(),
  type: z.literal('storage'),
  storage: z.string().min(1),
  node: z.string().min(1),
  plugintype: z.string().optional(),
  status: z.string().optional(),
  shared: optBool,
  content: z
    .string()
    .optional()
    .transform(s => (s ? s.split(',').filter(Boolean).sort() : [])),
  disk: optNum,
  maxdisk: optNum,
});

/** @public */
export type GuestResource = z.infer<typeof guestResource>;
/** @public */
export type NodeResource = z.infer<typeof nodeResource>;
/** @public */
export type StorageResource = z.infer<typeof storageResource>;
/** @public */
export type ClusterResources = {
  guests: GuestResource[];
  nodes: NodeResource[];
  storage: StorageResource[];
};

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map(i => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
}

/** Thrown when a body is not the API's shape. */
export class WireShapeError extends Error {}

/**
 * `/cluster/resources`: one list of every kind. Kinds this plugin does not
 * use (pool, sdn, network, and whatever later releases add) are skipped;
 * an entry of a kind it uses that does not parse fails the whole answer, so
 * nobody acts on half a picture.
 *
 * @public
 */
export function parseClusterResources(data: unknown): ClusterResources {
  if (!Array.isArray(data)) {
    throw new WireShapeError(`expected a list, got ${typeName(data)}`);
  }
  const out: ClusterResources = { guests: [], nodes: [], storage: [] };
  data.forEach((item, index) => {
    const type = (item as { type?: unknown })?.type;
    if (typeof type !== 'string') {
      throw new WireShapeError(`item ${index}: "type" is missing`);
    }
    const parse = <S extends z.ZodType>(schema: S): z.infer<S> => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        const id = (item as { id?: unknown }).id;
        throw new WireShapeError(
          `item ${index} (${String(id ?? type)}): ${issuesText(parsed.error)}`,
        );
      }
      return parsed.data;
    };
    if (type === 'qemu' || type === 'lxc')
      out.guests.push(parse(guestResource));
    else if (type === 'node') out.nodes.push(parse(nodeResource));
    else if (type === 'storage') out.storage.push(parse(storageResource));
  });
  return out;
}

function typeName(v: unknown) {
  if (v === null) return 'null';
  return Array.isArray(v) ? 'a list' : typeof v;
}

/** Parses with a schema; a mismatch becomes a WireShapeError naming the field. */
export function parseWith<T extends z.ZodTypeAny>(
  schema: T,
  data: unknown,
): z.output<T> {
  const r = schema.safeParse(data);
  if (!r.success) throw new WireShapeError(issuesText(r.error));
  return r.data;
}

// --- everything else ------------------------------------------------------

export const versionSchema = z.object({
  release: z.string(),
  version: z.string(),
  repoid: z.string().optional(),
});

/** @public */
export const nodeStatusSchema = z.object({
  uptime: optNum,
  cpu: optNum,
  wait: optNum,
  loadavg: z.array(pveNumber).optional(),
  kversion: z.string().optional(),
  pveversion: z.string().optional(),
  cpuinfo: z
    .object({
      model: z.string().optional(),
      cpus: optNum,
      sockets: optNum,
      cores: optNum,
    })
    .optional(),
  memory: z
    .object({
      total: pveNumber,
      used: pveNumber,
      free: optNum,
      available: optNum,
    })
    .optional(),
  swap: z.object({ total: pveNumber, used: pveNumber }).optional(),
  rootfs: z
    .object({ total: pveNumber, used: pveNumber, avail: optNum })
    .optional(),
  'boot-info': z.object({ mode: z.string(), secureboot: optBool }).optional(),
});
/** @public */
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

/** rrddata rows: `time` always, every metric optional (empty slots). */
export const rrdSchema = z.array(
  z
    .object({ time: pveNumber })
    .catchall(z.union([pveNumber, z.null().transform(() => undefined)])),
);
/** @public */
export type RrdRow = { time: number } & Record<string, number | undefined>;

/** @public */
export const guestCurrentSchema = z.object({
  vmid: pveNumber.optional(),
  name: z.string().optional(),
  status: z.string(),
  qmpstatus: z.string().optional(),
  uptime: optNum,
  cpu: optNum,
  cpus: optNum,
  mem: optNum,
  maxmem: optNum,
  memhost: optNum,
  disk: optNum,
  maxdisk: optNum,
  netin: optNum,
  netout: optNum,
  diskread: optNum,
  diskwrite: optNum,
  agent: optBool,
  template: optBool,
  lock: z.string().optional(),
  tags,
  'running-qemu': z.string().optional(),
  'running-machine': z.string().optional(),
  ha: z
    .object({ managed: optBool, state: z.string().optional() })
    .passthrough()
    .optional(),
  // LXC sends pressure values as strings, QEMU as numbers.
  pressurecpusome: optNum,
  pressureiosome: optNum,
  pressurememorysome: optNum,
});
/** @public */
export type GuestCurrent = z.infer<typeof guestCurrentSchema>;

/**
 * Guest config: a flat map of strings, numbers and 0/1 flags.
 *
 * @public
 */
export const guestConfigSchema = z.record(
  z.string(),
  z.union([z.string(), z.number()]),
);
/** @public */
export type GuestConfig = z.infer<typeof guestConfigSchema>;

const ipAddress = z.object({
  'ip-address': z.string(),
  'ip-address-type': z.string().optional(),
  prefix: optNum,
});

export const agentInterfacesSchema = z.object({
  result: z.array(
    z.object({
      name: z.string(),
      'hardware-address': z.string().optional(),
      'ip-addresses': z.array(ipAddress).optional(),
    }),
  ),
});

export const lxcInterfacesSchema = z.array(
  z.object({
    name: z.string(),
    hwaddr: z.string().optional(),
    'hardware-address': z.string().optional(),
    inet: z.string().optional(),
    inet6: z.string().optional(),
    'ip-addresses': z.array(ipAddress).optional(),
  }),
);

/** @public */
export type GuestInterface = {
  name: string;
  mac?: string;
  addresses: { address: string; prefix?: number; family: 'ipv4' | 'ipv6' }[];
};

export const storageListSchema = z.array(
  z.object({
    storage: z.string(),
    type: z.string(),
    content: z.string().transform(s => s.split(',').filter(Boolean).sort()),
    active: optBool,
    enabled: optBool,
    shared: optBool,
    total: optNum,
    used: optNum,
    avail: optNum,
    used_fraction: optNum,
  }),
);
/** @public */
export type StorageListItem = z.infer<typeof storageListSchema>[number];

export const storageContentSchema = z.array(
  z.object({
    volid: z.string(),
    content: z.string().optional(),
    format: z.string(),
    size: pveNumber,
    ctime: optNum,
    vmid: optNum,
    subtype: z.string().optional(),
    notes: z.string().optional(),
    protected: optBool,
    encrypted: z.string().optional(),
    verification: z.object({ state: z.string() }).passthrough().optional(),
  }),
);
/** @public */
export type StorageContentItem = z.infer<typeof storageContentSchema>[number];

/** @public */
export const backupJobsSchema = z.array(
  z
    .object({
      id: z.string(),
      type: z.string().optional(),
      enabled: optBool,
      schedule: z.string().optional(),
      all: optBool,
      vmid: z.union([z.string(), z.number()]).optional(),
      exclude: z.union([z.string(), z.number()]).optional(),
      pool: z.string().optional(),
      node: z.string().optional(),
      storage: z.string().optional(),
      'next-run': optNum,
    })
    .passthrough(),
);
/** @public */
export type BackupJob = z.infer<typeof backupJobsSchema>[number];

export const notBackedUpSchema = z.array(
  z.object({
    vmid: pveNumber,
    type: z.string().optional(),
    name: z.string().optional(),
  }),
);

const taskFields = {
  upid: z.string(),
  node: z.string(),
  pid: optNum,
  pstart: optNum,
  starttime: pveNumber,
  type: z.string(),
  id: z.string().default(''),
  user: z.string(),
};

/** @public */
export const taskListSchema = z.array(
  z.object({ ...taskFields, endtime: optNum, status: z.string().optional() }),
);
/** @public */
export type TaskListItem = z.infer<typeof taskListSchema>[number];

/** @public */
export const taskStatusSchema = z.object({
  ...taskFields,
  status: z.enum(['running', 'stopped']),
  exitstatus: z.string().optional(),
});
/** @public */
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskLogSchema = z.array(z.object({ n: pveNumber, t: z.string() }));

export const permissionsSchema = z.record(
  z.string(),
  z.record(z.string(), pveNumber),
);

export const upidSchema = z.string().regex(/^UPID:/, 'expected a UPID');
