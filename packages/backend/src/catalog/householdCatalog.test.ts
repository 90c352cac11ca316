import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  getCompoundEntityRef,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { resourcesToEntities } from '@homelab-portal/plugin-catalog-backend-module-proxmox';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../../..');

type Loaded = { entity: Entity; file: string };

/** Reads catalog-info.yaml and every file its Locations point at, as the catalog does. */
function loadCatalog(entryFile: string): Loaded[] {
  const seen = new Set<string>();
  const out: Loaded[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length)
        throw new Error(`${file}: ${doc.errors[0].message}`);
      const entity = doc.toJS() as Entity;
      if (!entity) continue;
      out.push({ entity, file: path.relative(repoRoot, file) });
      if (entity.kind === 'Location') {
        const spec = entity.spec as { target?: string; targets?: string[] };
        for (const target of [spec.target, ...(spec.targets ?? [])]) {
          if (target) visit(path.resolve(path.dirname(file), target));
        }
      }
    }
  };
  visit(entryFile);
  return out;
}

const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  templateEntityV1beta3Validator,
];

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** spec fields that point at other entities, with the kind Backstage assumes. */
const refFields: Record<string, string> = {
  owner: 'group',
  system: 'system',
  domain: 'domain',
  dependsOn: 'component',
  dependencyOf: 'component',
  memberOf: 'group',
  parent: 'group',
  children: 'group',
  subcomponentOf: 'component',
  subdomainOf: 'domain',
};

function referencesOf(entity: Entity): string[] {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const refs: string[] = [];
  for (const [field, defaultKind] of Object.entries(refFields)) {
    const value = spec[field];
    const values = ([] as unknown[]).concat(value ?? []);
    for (const v of values) {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(String(v), {
            defaultKind,
            defaultNamespace: 'default',
          }),
        ),
      );
    }
  }
  return refs;
}

/**
 * The Resource entities the Proxmox provider generates for the demo household
 * (packages/homelab-sim/scenarios/household.yaml), made by the provider's own
 * transform: hand-written entities may refer to these.
 */
function generatedProxmoxEntities(): Entity[] {
  const scenario = parse(
    fs.readFileSync(
      path.join(repoRoot, 'packages/homelab-sim/scenarios/household.yaml'),
      'utf8',
    ),
  ).proxmox;
  type Node = {
    name: string;
    storage: {
      id: string;
      type: string;
      content: string[];
      shared?: boolean;
    }[];
  };
  type Guest = {
    vmid: number;
    type: 'qemu' | 'lxc';
    name: string;
    node: string;
    template?: boolean;
    tags?: string[];
  };
  const { entities } = resourcesToEntities(
    {
      nodes: (scenario.nodes as Node[]).map(n => ({
        id: `node/${n.name}`,
        type: 'node' as const,
        node: n.name,
        status: 'online',
      })),
      guests: (scenario.guests as Guest[]).map(g => ({
        id: `${g.type}/${g.vmid}`,
        type: g.type,
        vmid: g.vmid,
        node: g.node,
        status: 'running',
        name: g.name,
        template: !!g.template,
        tags: g.tags ?? [],
      })),
      storage: (scenario.nodes as Node[]).flatMap(n =>
        n.storage.map(s => ({
          id: `storage/${n.name}/${s.id}`,
          type: 'storage' as const,
          storage: s.id,
          node: n.name,
          plugintype: s.type,
          shared: !!s.shared,
          content: s.content,
        })),
      ),
    },
    {
      instance: scenario.instance,
      webUrl: 'https://localhost:18006',
      owner: 'group:home-admins',
      system: 'homelab',
    },
  );
  return entities;
}

describe('the household catalog', () => {
  const loaded = loadCatalog(path.join(repoRoot, 'catalog-info.yaml'));
  const handWritten = loaded.map(l => l.entity);
  const generated = generatedProxmoxEntities();
  const entities = [...handWritten, ...generated];
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));

  it('holds the whole household', () => {
    const count = (kind: string) =>
      entities.filter(e => e.kind === kind).length;
    expect(count('Component')).toBeGreaterThanOrEqual(15);
    expect(byRef.has('system:default/homelab')).toBe(true);
    expect(byRef.has('group:default/home-admins')).toBe(true);
    expect(byRef.has('group:default/family')).toBe(true);
    for (const external of [
      'isp',
      'cloudflare',
      'grafana-cloud',
      'letsencrypt',
      'docker-hub',
      'ghcr',
      'helm-repositories',
    ]) {
      expect(byRef.get(`resource:default/${external}`)?.spec?.type).toBe(
        'external-service',
      );
    }
  });

  it('has no duplicate entities', () => {
    expect(byRef.size).toBe(entities.length);
  });

  it('the generated Proxmox entities are valid entities', async () => {
    expect(generated.length).toBeGreaterThan(5);
    for (const entity of generated) {
      await expect(policy.enforce(entity)).resolves.toBeDefined();
      expect(await resourceEntityV1alpha1Validator.check(entity)).toBe(true);
    }
  });

  it.each(
    loaded.map(l => [
      `${l.entity.kind}:${l.entity.metadata.name} (${l.file})`,
      l.entity,
    ]),
  )('%s is a valid entity', async (_name, entity) => {
    await expect(policy.enforce(entity as Entity)).resolves.toBeDefined();
    const results = await Promise.all(
      kindValidators.map(v => v.check(entity as Entity)),
    );
    expect(results.some(Boolean)).toBe(true);
  });

  it('points only at entities that exist', () => {
    const dangling = entities.flatMap(e =>
      referencesOf(e)
        .filter(ref => !byRef.has(ref))
        .map(ref => `${stringifyEntityRef(e)} -> ${ref}`),
    );
    expect(dangling).toEqual([]);
  });

  it('leaves the proxmox- prefix to the Proxmox provider (README naming rule)', () => {
    const offenders = loaded
      .filter(l => l.entity.metadata.name.startsWith('proxmox-'))
      .map(l => `${l.entity.metadata.name} in ${l.file}`);
    expect(offenders).toEqual([]);
    for (const entity of generated) {
      expect(entity.metadata.name).toMatch(
        /^proxmox-[a-z0-9]+-(node|vm|ct|storage)-[a-z0-9-]+$/,
      );
    }
    // Hand-written entities do refer to generated ones (by those names).
    const proxmoxRefs = handWritten
      .flatMap(referencesOf)
      .filter(ref => ref.startsWith('resource:default/proxmox-'));
    expect(proxmoxRefs.length).toBeGreaterThan(0);
  });

  it('gives every family app an address and its upstream project', () => {
    const apps = loaded.filter(l =>
      l.file.startsWith(path.join('catalog', 'apps')),
    );
    expect(apps.length).toBeGreaterThanOrEqual(12);
    for (const { entity } of apps) {
      const links = entity.metadata.links ?? [];
      expect(
        links.some(
          l => l.title === 'Upstream project' && l.url.startsWith('https://'),
        ),
      ).toBe(true);
      expect(entity.metadata.description?.length ?? 0).toBeGreaterThan(30);
    }
    const withAddress = apps.filter(({ entity }) =>
      entity.metadata.links?.some(l => l.icon === 'dashboard'),
    );
    expect(withAddress.length).toBeGreaterThanOrEqual(12);
  });

  it('connects every component and resource to system:homelab in the graph', () => {
    // Walk relations in both directions, as the catalog graph draws them.
    const neighbours = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      if (!neighbours.has(a)) neighbours.set(a, new Set());
      if (!neighbours.has(b)) neighbours.set(b, new Set());
      neighbours.get(a)!.add(b);
      neighbours.get(b)!.add(a);
    };
    for (const e of entities) {
      for (const ref of referencesOf(e)) link(stringifyEntityRef(e), ref);
    }
    const reached = new Set(['system:default/homelab']);
    const queue = ['system:default/homelab'];
    while (queue.length) {
      for (const next of neighbours.get(queue.shift()!) ?? []) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    const unreached = entities
      .filter(e => e.kind === 'Component' || e.kind === 'Resource')
      .map(e => stringifyEntityRef(getCompoundEntityRef(e)))
      .filter(ref => !reached.has(ref));
    expect(unreached).toEqual([]);
  });

  it('builds the system documentation from the folder the system lives in', () => {
    const system = byRef.get('system:default/homelab')!;
    expect(system.metadata.annotations?.['backstage.io/techdocs-ref']).toBe(
      'dir:.',
    );
    const file = loaded.find(l => l.entity === system)!.file;
    expect(
      fs.existsSync(path.join(repoRoot, path.dirname(file), 'mkdocs.yml')),
    ).toBe(true);
  });
});
