import fs from 'node:fs';
import path from 'node:path';

/**
 * The Proxmox reference data (`shared/reference/proxmox`), read from
 * HOMELAB_REFERENCE_DIR or the `shared/reference` folder next to the repo.
 */
export function referenceDir(): string {
  // <repo>/packages/homelab-sim: the reference sits next to the repository.
  const repoRoot = path.resolve(
    path.dirname(require.resolve('homelab-sim/package.json')),
    '../..',
  );
  const dir =
    process.env.HOMELAB_REFERENCE_DIR ??
    path.resolve(repoRoot, '../shared/reference');
  const proxmox = path.join(dir, 'proxmox');
  if (!fs.existsSync(path.join(proxmox, 'pve-api-subset.json'))) {
    throw new Error(
      `The Proxmox reference data is missing at ${proxmox}: set HOMELAB_REFERENCE_DIR to the folder that holds proxmox/pve-api-subset.json`,
    );
  }
  return proxmox;
}

export type SchemaNode = {
  type?: string;
  optional?: number;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: number | SchemaNode;
  minimum?: number;
  maximum?: number;
  format?: unknown;
  pattern?: string;
  maxLength?: number;
};

export type SubsetEndpoint = {
  method: string;
  path: string;
  parameters?: { properties?: Record<string, SchemaNode> };
  permissions?: { check?: unknown[]; user?: string };
  returns?: SchemaNode;
};

export function loadSubset(
  file: 'pve-api-subset.json' | 'pve-api-subset-pve8.4.json',
) {
  const raw = JSON.parse(
    fs.readFileSync(path.join(referenceDir(), file), 'utf8'),
  );
  return [...raw.endpoints, ...raw.extra_endpoints] as SubsetEndpoint[];
}

type ApiTreeNode = {
  path: string;
  info?: Record<string, Omit<SubsetEndpoint, 'method' | 'path'>>;
  children?: ApiTreeNode[];
};

/**
 * Every endpoint of the full PVE 9.1 API schema (`pve-api-schema.json`, the
 * apidoc tree), flattened to the subset's shape: the reference for
 * endpoints the subset does not list.
 */
export function loadFullSchema(): SubsetEndpoint[] {
  const tree: ApiTreeNode[] = JSON.parse(
    fs.readFileSync(path.join(referenceDir(), 'pve-api-schema.json'), 'utf8'),
  );
  const out: SubsetEndpoint[] = [];
  const walk = (nodes: ApiTreeNode[]) => {
    for (const n of nodes) {
      for (const [method, info] of Object.entries(n.info ?? {}))
        out.push({ ...info, method, path: n.path });
      walk(n.children ?? []);
    }
  };
  walk(tree);
  return out;
}

export function loadExample(): {
  responses: Record<string, { data: unknown; total?: number }>;
  errors: {
    request: string;
    http_status: number;
    reason_phrase: string;
    body: unknown;
  }[];
} {
  return JSON.parse(
    fs.readFileSync(path.join(referenceDir(), 'example-homelab.json'), 'utf8'),
  );
}

/** The subset entry for a concrete request path (`/nodes/pve/qemu/100/config`). */
export function endpointFor(
  subset: SubsetEndpoint[],
  method: string,
  concrete: string,
) {
  return subset.find(e => {
    if (e.method !== method) return false;
    const re = new RegExp(`^${e.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    return re.test(concrete);
  });
}

/** A value as JSON would name its type. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Checks a value against a schema `returns` node the way the PVE schema is
 * meant (README "Caveats"): `boolean` is 0/1 on the wire, optional keys may
 * be absent, extra keys are allowed (PVE does not enforce return schemas).
 * `quirk` may accept a documented deviation (LXC pressure strings).
 */
export function validateReturns(
  schema: SchemaNode | undefined,
  value: unknown,
  at: string,
  problems: string[],
  quirk: (at: string, value: unknown, schema: SchemaNode) => boolean = () =>
    false,
) {
  if (!schema) return;
  const fail = (msg: string) => {
    if (!quirk(at, value, schema)) problems.push(`${at}: ${msg}`);
  };
  if (schema.enum && !schema.enum.includes(value as never)) {
    fail(
      `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
    );
    return;
  }
  switch (schema.type) {
    case 'object': {
      if (jsonType(value) !== 'object') {
        fail(`expected object, got ${jsonType(value)}`);
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (key.includes('[n]')) continue;
        if (!(key in obj)) {
          if (!sub.optional) fail(`required key "${key}" is missing`);
          continue;
        }
        validateReturns(sub, obj[key], `${at}.${key}`, problems, quirk);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        fail(`expected array, got ${jsonType(value)}`);
        return;
      }
      value.forEach((v, i) =>
        validateReturns(schema.items, v, `${at}[${i}]`, problems, quirk),
      );
      return;
    case 'string':
      if (typeof value !== 'string')
        fail(
          `expected string, got ${jsonType(value)} ${JSON.stringify(value)}`,
        );
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        fail(`expected integer, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number')
        fail(`expected number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (![0, 1, '0', '1'].includes(value as never))
        fail(`expected 0/1 boolean, got ${JSON.stringify(value)}`);
      return;
    case 'null':
      if (value !== null) fail(`expected null, got ${jsonType(value)}`);
      return;
    default:
  }
}
