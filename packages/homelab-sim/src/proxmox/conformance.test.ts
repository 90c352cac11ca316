/**
 * Conformance of the demo Proxmox with the Proxmox reference
 * (shared/reference/proxmox): the sim must serve what PVE 9.1 and 8.4
 * serve, parameters, privileges and bodies alike. That the client accepts
 * those bodies is checked in plugins/proxmox-node (conformance.test.ts).
 * Reads HOMELAB_REFERENCE_DIR (default ../shared/reference).
 */
import { fetch } from 'undici';
import { loadScenario } from '../scenario/loadScenario';
import { Scenario } from '../scenario/schema';
import { SimUnderTest, startSim } from '../testUtils';
import {
  endpointFor,
  jsonType,
  loadExample,
  loadFullSchema,
  loadSubset,
  SchemaNode,
  SubsetEndpoint,
  validateReturns,
} from '../testUtils/proxmoxReference';
import { defaultTokens } from './api/access';
import { ProxmoxApi } from './api/ProxmoxApi';

const subset91 = loadSubset('pve-api-subset.json');
const full91 = loadFullSchema();
const subset84 = loadSubset('pve-api-subset-pve8.4.json');
const example = loadExample();

/** The default tokens and one that may list backups (Datastore.Allocate). */
const testTokens = [
  ...defaultTokens,
  {
    id: 'backstage@pve!backup',
    file: 'backup',
    acl: [
      { path: '/', role: 'PVEAuditor', privs: [] },
      { path: '/storage', role: 'PVEDatastoreAdmin', privs: [] },
    ],
  },
];

/** The demo Proxmox on a free port; failed logins answered at once. */
function startProxmox(mutate: (s: Scenario) => void) {
  const scenario = loadScenario();
  scenario.proxmox.authFailureDelayMs = 0;
  mutate(scenario);
  return startSim({ only: ['proxmox'], scenario, tmpPrefix: 'proxmox-sim-' });
}

/** One call to the sim's API (`format`: json or extjs). */
async function call(
  px: SimUnderTest<'proxmox'>,
  path: string,
  options: { authorization?: string; method?: string; format?: string } = {},
) {
  const res = await fetch(
    `${px.proxmox.url}/api2/${options.format ?? 'json'}${path}`,
    {
      method: options.method ?? 'GET',
      headers: options.authorization
        ? { authorization: options.authorization }
        : {},
      dispatcher: px.dispatcher,
    },
  );
  return {
    status: res.status,
    statusText: res.statusText,
    text: await res.text(),
  };
}

/** Documented deviations from the schema's types (reference README, notes §8). */
const quirk = (at: string, value: unknown, schema: SchemaNode) =>
  // LXC pressure values are strings (not numified in pve-container).
  /\.pressure\w+$/.test(at) &&
  typeof value === 'string' &&
  schema.type === 'number' &&
  !isNaN(Number(value));

/** Keys whose presence depends on the guest, not on the endpoint. */
const dataDependent =
  /^(tags|protected|serial|template|lock|pid|notes|agent|bios|efidisk0|machine|tablet|usb\d+|ciuser|ide\d+|ipconfig\d+|serial\d+|vga|onboot|startup|description|tap\d+i\d+|inet|encrypted|verification|qmpstatus|pressure\w+|freemem|balloon|ballooninfo|blockstat|nics|running-machine|running-qemu|ssl_fingerprint)$/;

function schemaKeyAllowed(schema: SchemaNode | undefined, key: string) {
  const props = schema?.properties;
  if (!props) return false;
  if (key in props) return true;
  return Object.keys(props).some(
    k =>
      k.includes('[n]') &&
      new RegExp(`^${k.replace('[n]', '\\d+')}$`).test(key),
  );
}

/** Compares the sim's body with the reference body, field by field. */
function compareShape(
  ex: unknown,
  sim: unknown,
  schema: SchemaNode | undefined,
  at: string,
  problems: string[],
) {
  if (jsonType(ex) !== jsonType(sim)) {
    problems.push(
      `${at}: reference has ${jsonType(ex)} ${JSON.stringify(ex)?.slice(
        0,
        40,
      )}, sim has ${jsonType(sim)} ${JSON.stringify(sim)?.slice(0, 40)}`,
    );
    return;
  }
  if (Array.isArray(ex) && Array.isArray(sim)) {
    if (!ex.length || !sim.length) return;
    ex.forEach((item, i) => {
      // Match kinds (qemu, lxc, node, storage, ...) where the sim has the
      // same kind; task types and the like are data, not kinds.
      const sameType = sim.filter(
        s =>
          jsonType(s) === 'object' &&
          (item as { type?: unknown }).type !== undefined &&
          (s as { type?: unknown }).type === (item as { type?: unknown }).type,
      );
      const candidates = sameType.length ? sameType : sim;
      const score = (s: unknown) => {
        if (jsonType(s) !== 'object') return 0;
        const a = new Set(Object.keys(item as object));
        const b = new Set(Object.keys(s as object));
        return (
          [...a].filter(k => !b.has(k)).length +
          [...b].filter(k => !a.has(k)).length
        );
      };
      const best = candidates.reduce((x, y) => (score(y) < score(x) ? y : x));
      compareShape(item, best, schema?.items, `${at}[${i}]`, problems);
    });
    return;
  }
  if (jsonType(ex) === 'object') {
    const e = ex as Record<string, unknown>;
    const s = sim as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (key in s) {
        compareShape(
          e[key],
          s[key],
          schema?.properties?.[key],
          `${at}.${key}`,
          problems,
        );
      } else if (
        !dataDependent.test(key) &&
        !schema?.properties?.[key]?.optional
      ) {
        problems.push(`${at}: the sim leaves out "${key}"`);
      }
    }
    for (const key of Object.keys(s)) {
      if (key in e || dataDependent.test(key) || schemaKeyAllowed(schema, key))
        continue;
      problems.push(
        `${at}: the sim adds "${key}", which neither the reference body nor the schema has`,
      );
    }
  }
}

describe('the demo Proxmox against the PVE 9.1 reference', () => {
  let px: SimUnderTest<'proxmox'>;
  beforeAll(async () => {
    px = await startProxmox(s => (s.proxmox.tokens = testTokens));
  });
  afterAll(() => px.close());

  const get = (
    path: string,
    token = 'catalog',
    method = 'GET',
    format = 'json',
  ) =>
    call(px, path, {
      method,
      format,
      authorization: `PVEAPIToken=${
        testTokens.find(t => t.file === token)!.id
      }=${px.proxmox.tokenSecret(token)}`,
    });
  const body = async (path: string, token = 'catalog', method = 'GET') => {
    const r = await get(path, token, method);
    if (r.status !== 200)
      throw new Error(`${method} ${path}: ${r.status} ${r.statusText}`);
    return JSON.parse(r.text);
  };

  it('answers /api2/extjs with HTTP 200 and success, errors included', async () => {
    // pve-http-server's extjs formatter: the status goes into `success`.
    const ok = await get('/version', 'catalog', 'GET', 'extjs');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({
      success: 1,
      data: { release: expect.any(String) },
    });
    const missing = await get(
      '/nodes/pve/qemu/4242/status/current',
      'catalog',
      'GET',
      'extjs',
    );
    expect(missing.status).toBe(200);
    const refused = JSON.parse(missing.text);
    expect(refused).toMatchObject({ success: 0, data: null });
    expect(refused.message).toMatch(/4242/);
    // The same call in json is a real error status.
    expect(
      (await get('/nodes/pve/qemu/4242/status/current')).status,
    ).toBeGreaterThanOrEqual(400);
  });

  it('declares every endpoint it serves with the reference parameters and privileges', () => {
    const problems: string[] = [];
    for (const [major, subset] of [
      [9, subset91],
      [8, subset84],
    ] as [number, SubsetEndpoint[]][]) {
      for (const ep of ProxmoxApi.endpoints()) {
        const same = (e: SubsetEndpoint) =>
          e.method === ep.method && e.path === ep.path;
        // Endpoints outside the subsets are checked against the full 9.1
        // schema; no full 8.4 schema is at hand.
        const ref =
          subset.find(same) ?? (major === 9 ? full91.find(same) : undefined);
        if (!ref && major === 8 && full91.some(same)) continue;
        if (!ref) {
          problems.push(
            `${major}: ${ep.method} ${ep.path} is not in the reference`,
          );
          continue;
        }
        const ours =
          typeof ep.params === 'function' ? ep.params(major) : ep.params;
        const theirs = ref.parameters?.properties ?? {};
        for (const [name, p] of Object.entries(theirs)) {
          const mine = ours[name];
          if (!mine) {
            problems.push(
              `${major}: ${ep.method} ${ep.path} does not accept "${name}"`,
            );
            continue;
          }
          if (mine.type !== p.type)
            problems.push(
              `${major}: ${ep.path} ${name}: type ${mine.type} vs ${p.type}`,
            );
          if (!!mine.optional !== !!p.optional)
            problems.push(`${major}: ${ep.path} ${name}: optional differs`);
          if (JSON.stringify(mine.enum) !== JSON.stringify(p.enum)) {
            problems.push(
              `${major}: ${ep.path} ${name}: enum ${mine.enum} vs ${p.enum}`,
            );
          }
          if (p.minimum !== undefined && mine.minimum !== p.minimum)
            problems.push(`${major}: ${ep.path} ${name}: minimum`);
        }
        for (const name of Object.keys(ours)) {
          if (!(name in theirs))
            problems.push(
              `${major}: ${ep.method} ${ep.path} accepts "${name}", PVE does not`,
            );
        }
        const check = ep.check?.(major);
        const refCheck = ref.permissions?.check;
        if (
          JSON.stringify(check ?? null) !== JSON.stringify(refCheck ?? null)
        ) {
          problems.push(
            `${major}: ${ep.method} ${ep.path}: permission ${JSON.stringify(
              check,
            )} vs ${JSON.stringify(refCheck)}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the example household itself follows the schema (checks the checker)', () => {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(example.responses)) {
      const [method, pathAndQuery] = key.split(' ');
      const path = pathAndQuery.split('?')[0];
      const ref = endpointFor(subset91, method, path);
      expect(ref).toBeDefined();
      validateReturns(ref!.returns, value.data, key, problems, quirk);
    }
    expect(problems).toEqual([]);
  });

  /** Example request → the same request against the sim's household. */
  const simPath = (p: string) =>
    p
      .replace('/qemu/110/', '/qemu/102/')
      .replace('vmid=110', 'vmid=102')
      .replace('/nas-backup/', '/nas-backups/');

  it('answers every reference GET with the reference shape, envelope included', async () => {
    const problems: string[] = [];
    const vzdump = (await body('/nodes/pve/tasks?typefilter=vzdump&limit=1'))
      .data[0].upid;
    for (const [key, value] of Object.entries(example.responses)) {
      const [method, pathAndQuery] = key.split(' ');
      if (method !== 'GET' || /qmshutdown|qmstart/.test(key)) continue; // see the power test
      let path = simPath(pathAndQuery);
      path = path.replace(/UPID:[^/]*vzdump[^/]*:/, encodeURIComponent(vzdump));
      const token = path.includes('/content') ? 'backup' : 'catalog';
      const got = await body(path, token);
      const ref = endpointFor(subset91, method, pathAndQuery.split('?')[0])!;
      expect(Object.keys(got).sort()).toEqual(Object.keys(value).sort());
      validateReturns(ref.returns, got.data, `sim ${key}`, problems, quirk);
      compareShape(value.data, got.data, ref.returns, `sim ${key}`, problems);
    }
    expect(problems).toEqual([]);
  });

  it('runs power actions as tasks, like the reference', async () => {
    const problems: string[] = [];
    const post = example.responses['POST /nodes/pve/qemu/101/status/shutdown'];
    const upid = (
      await body('/nodes/pve/qemu/101/status/shutdown', 'power', 'POST')
    ).data;
    compareShape(post.data, upid, undefined, 'POST shutdown', problems);
    expect(upid).toMatch(
      /^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmshutdown:101:backstage@pve!power:$/,
    );
    const running = await body(
      `/nodes/pve/tasks/${encodeURIComponent(upid)}/status`,
    );
    const refRunning = Object.entries(example.responses).find(([k]) =>
      k.includes('qmshutdown'),
    )![1];
    compareShape(
      refRunning.data,
      running.data,
      undefined,
      'running task',
      problems,
    );
    expect(running.data.status).toBe('running');

    const start = (
      await body('/nodes/pve/qemu/9000/status/start', 'power', 'POST')
    ).data;
    await new Promise(r => setTimeout(r, 700));
    const failed = await body(
      `/nodes/pve/tasks/${encodeURIComponent(start)}/status`,
    );
    const refFailed = Object.entries(example.responses).find(
      ([k]) => k.includes('qmstart:9000') && k.endsWith('/status'),
    )![1];
    compareShape(
      refFailed.data,
      failed.data,
      undefined,
      'failed task',
      problems,
    );
    expect(failed.data).toMatchObject({
      status: 'stopped',
      exitstatus: "you can't start a vm if it's a template",
    });
    expect(problems).toEqual([]);
  });

  it('answers the reference error cases with their status, reason phrase and body', async () => {
    const cases: [string, string, string, string?][] = [
      [
        'GET /cluster/resources with a wrong token secret',
        '/cluster/resources',
        'wrong',
      ],
      [
        'POST /nodes/pve/qemu/101/status/shutdown with a read-only (PVEAuditor) token',
        '/nodes/pve/qemu/101/status/shutdown',
        'catalog',
        'POST',
      ],
      [
        'GET /nodes/pve/rrddata?timeframe=minute',
        '/nodes/pve/rrddata?timeframe=minute',
        'catalog',
      ],
      ['GET /nodes/pve/qemu?foo=1', '/nodes/pve/qemu?foo=1', 'catalog'],
      [
        'GET /nodes/pve/qemu/999/status/current',
        '/nodes/pve/qemu/999/status/current',
        'catalog',
      ],
      [
        'GET /nodes/pve/qemu/9000/agent/network-get-interfaces (VM stopped)',
        '/nodes/pve/qemu/9000/agent/network-get-interfaces',
        'catalog',
      ],
      ['GET /nodes/pve/bogus', '/nodes/pve/bogus', 'catalog'],
    ];
    for (const [request, path, token, method] of cases) {
      const ref = example.errors.find(e => e.request === request)!;
      expect(ref).toBeDefined();
      let r;
      if (token === 'wrong') {
        r = await call(px, path, {
          authorization: 'PVEAPIToken=backstage@pve!catalog=wrong',
        });
      } else {
        r = await get(path, token, method);
      }
      expect([request, r.status, r.statusText]).toEqual([
        request,
        ref.http_status,
        ref.reason_phrase,
      ]);
      // The reference's 501 body lacks the trailing newline every other
      // message has; compare messages without it.
      const normal = (b: unknown) =>
        b && typeof b === 'object'
          ? { ...b, message: String((b as { message: string }).message).trim() }
          : b;
      expect(normal(r.text === '' ? '' : JSON.parse(r.text))).toEqual(
        normal(ref.body),
      );
    }
    const noAuth = await call(px, '/nodes/pve/qemu');
    expect([noAuth.status, noAuth.statusText, noAuth.text]).toEqual([
      401,
      'No ticket',
      '',
    ]);
  });

  it('gives a read-only token an empty backup list, as pve-storage does', async () => {
    const auditor = await body(
      '/nodes/pve/storage/nas-backups/content?content=backup',
      'catalog',
    );
    const reader = await body(
      '/nodes/pve/storage/nas-backups/content?content=backup',
      'backup',
    );
    expect(auditor.data).toEqual([]);
    expect(reader.data.length).toBeGreaterThan(0);
  });

  it('moves rrddata with time', async () => {
    const rows = (await body('/nodes/pve/rrddata?timeframe=hour&cf=AVERAGE'))
      .data;
    expect(rows).toHaveLength(70);
    const cpu = rows.slice(0, -1).map((r: { cpu: number }) => r.cpu);
    expect(new Set(cpu).size).toBeGreaterThan(20);
    expect(Object.keys(rows[rows.length - 1])).toEqual(['time']);
  });
});

describe('the demo Proxmox as PVE 8.4', () => {
  let px: SimUnderTest<'proxmox'>;
  beforeAll(async () => {
    px = await startProxmox(s => {
      s.proxmox.nodes[0].pveVersion = 'pve-manager/8.4.14/b502d23c55afcba1';
    });
  });
  afterAll(() => px.close());

  it('serves 8.4 shapes that follow the 8.4 schema', async () => {
    const raw = async (path: string) => {
      const r = await call(px, path, {
        authorization: `PVEAPIToken=backstage@pve!catalog=${px.proxmox.tokenSecret(
          'catalog',
        )}`,
      });
      return {
        status: r.status,
        json: r.status === 200 ? JSON.parse(r.text) : undefined,
      };
    };
    const problems: string[] = [];
    for (const path of [
      '/version',
      '/cluster/resources',
      '/nodes/pve/status',
      '/nodes/pve/qemu',
      '/nodes/pve/qemu/100/status/current',
      '/nodes/pve/qemu/100/config',
      '/nodes/pve/lxc',
      '/nodes/pve/lxc/200/status/current',
      '/nodes/pve/storage',
      '/cluster/backup',
      '/nodes/pve/tasks',
      '/cluster/ha/status/current',
    ]) {
      const r = await raw(path);
      expect([path, r.status]).toEqual([path, 200]);
      const ref = endpointFor(subset84, 'GET', path)!;
      validateReturns(ref.returns, r.json.data, `8.4 ${path}`, problems, quirk);
      const text = JSON.stringify(r.json.data);
      expect(text).not.toMatch(/"memhost"|"pressure|"network"|"armed-state"/);
    }
    expect(problems).toEqual([]);
    // 8.x: no decade.
    expect((await raw('/nodes/pve/rrddata?timeframe=decade')).status).toBe(400);
  });
});
