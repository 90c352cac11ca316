import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { HomelabSim } from '../HomelabSim';
import { humanDuration } from './api/printers';

jest.setTimeout(60_000);

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('simulated Kubernetes API: Table output and watch', () => {
  let sim: HomelabSim;
  let stateDir: string;
  let dispatcher: Agent;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-watch-'));
    sim = await HomelabSim.start({
      stateDir,
      ports: { kubernetes: 0, admin: 0 },
      only: ['kubernetes'],
    });
    dispatcher = new Agent({ connect: { ca: sim.caPem } });
    url = sim.url('kubernetes');
    admin = fs.readFileSync(
      path.join(stateDir, 'kubernetes/admin-token'),
      'utf8',
    );
  });

  afterAll(async () => {
    await sim?.close();
    await dispatcher?.destroy();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const request = (
    p: string,
    init: { method?: string; accept?: string; body?: unknown } = {},
  ) =>
    fetch(`${url}${p}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${admin}`,
        accept: init.accept ?? 'application/json',
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher,
    } as RequestInit);

  it('formats durations as apimachinery HumanDuration does', () => {
    // [milliseconds, what duration.HumanDuration prints]
    const cases: [number, string][] = [
      [90_000, '90s'],
      [150_000, '2m30s'],
      [600_000, '10m'],
      [9_000_000, '150m'],
      [16_200_000, '4h30m'],
      [30 * 3_600_000, '30h'],
      [50 * 3_600_000, '2d2h'],
      [10 * 86_400_000, '10d'],
      [800 * 86_400_000, '2y70d'],
    ];
    expect(cases.map(([ms]) => humanDuration(ms))).toEqual(
      cases.map(([, text]) => text),
    );
  });

  it('answers kubectl get with the pod printer, the crash loop visible', async () => {
    const res = await request('/api/v1/namespaces/documents/pods', {
      accept: TABLE,
    });
    expect(res.status).toBe(200);
    const table = await res.json();
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(
      table.columnDefinitions.map((c: any) => [c.name, c.priority]),
    ).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    const [row] = table.rows;
    expect(row.cells[1]).toBe('0/1');
    expect(row.cells[2]).toBe('CrashLoopBackOff');
    expect(row.cells[3]).toMatch(/^\d+ \(\d+m(\d+s)? ago\)$/);
    expect(row.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { namespace: 'documents' },
    });
  });

  it('builds custom resource tables from the CRD printer columns', async () => {
    const res = await request(
      '/apis/gateway.networking.k8s.io/v1/namespaces/media/httproutes?includeObject=None',
      { accept: TABLE },
    );
    const table = await res.json();
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Hostnames',
      'Age',
    ]);
    const jellyfin = table.rows.find((r: any) => r.cells[0] === 'jellyfin');
    expect(jellyfin.cells[1]).toBe('["media.home.example.org"]');
    expect(jellyfin.object).toBeUndefined();
  });

  it('refuses a Table version it does not serve with 406', async () => {
    const res = await request('/api/v1/pods', {
      accept: 'application/json;as=Table;v=v2;g=meta.k8s.io',
    });
    expect(res.status).toBe(406);
    expect((await res.json()).reason).toBe('NotAcceptable');
  });

  /** Reads watch events until `until` says stop or the stream ends. */
  async function watch(
    p: string,
    until: (events: any[]) => boolean,
    onOpen?: () => Promise<void>,
  ) {
    const res = await request(p);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const events: any[] = [];
    let buffer = '';
    await onOpen?.();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += Buffer.from(value).toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      events.push(...lines.map(l => JSON.parse(l)));
      if (until(events)) {
        await reader.cancel();
        break;
      }
    }
    return events;
  }

  it('streams what changes after a list, then ends at timeoutSeconds with a bookmark', async () => {
    const listed = await (
      await request('/api/v1/namespaces/media/configmaps')
    ).json();
    const rv = listed.metadata.resourceVersion;
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watch-me', namespace: 'media' },
      data: { a: 'b' },
    };
    const events = await watch(
      `/api/v1/namespaces/media/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=3`,
      () => false,
      async () => {
        expect(
          (
            await request('/api/v1/namespaces/media/configmaps', {
              method: 'POST',
              body: configMap,
            })
          ).status,
        ).toBe(201);
        expect(
          (
            await request('/api/v1/namespaces/media/configmaps/watch-me', {
              method: 'DELETE',
            })
          ).status,
        ).toBe(200);
      },
    );
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'watch-me'],
      ['DELETED', 'watch-me'],
      ['BOOKMARK', ''],
    ]);
    expect(events[0].object).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    expect(Number(events[1].object.metadata.resourceVersion)).toBeGreaterThan(
      Number(events[0].object.metadata.resourceVersion),
    );
  });

  it('starts with the current objects as ADDED without a resourceVersion', async () => {
    const events = await watch(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?watch=1',
      e => e.length >= 2,
    );
    expect(events.map(e => e.type)).toEqual(['ADDED', 'ADDED']);
    expect(events.map(e => e.object.metadata.name).sort()).toEqual([
      'talos-cp-1',
      'talos-worker-1',
    ]);
  });

  it('answers a resourceVersion older than the compaction window with a 410 ERROR event', async () => {
    const events = await watch(
      '/api/v1/pods?watch=true&resourceVersion=1',
      () => false,
    );
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(
            /^too old resource version: 1 \(\d+\)$/,
          ),
        }),
      },
    ]);
  });

  it('streams Table rows to kubectl get -w, headers once', async () => {
    const res = await request(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?watch=true',
      { accept: TABLE },
    );
    expect(res.headers.get('content-type')).toBe(
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length < 3) {
      text += Buffer.from((await reader.read()).value!).toString('utf8');
    }
    await reader.cancel();
    const [first, second] = text.split('\n').map(l => l && JSON.parse(l));
    expect(first.object.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Holder',
      'Age',
    ]);
    expect(second.object.columnDefinitions).toBeUndefined();
    expect(second.object.rows).toHaveLength(1);
  });
});
