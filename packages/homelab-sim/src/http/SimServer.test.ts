import { toError } from '@backstage/errors';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { FaultController } from '../faults/FaultController';
import { SimUnderTest, startSim } from '../testUtils';
import { CertificateAuthority } from '../pki/certificateAuthority';
import { Router, sendJson } from './Router';
import { SimServer } from './SimServer';

// Starting servers, an RSA-4096 key or a backend takes seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * Each fault kind, seen by a real client (undici's fetch trusting the sim
 * CA, or node:https) exactly as it would see it from a misbehaving server.
 */
describe('SimServer faults, from a real client', () => {
  let stateDir: string;
  let ca: CertificateAuthority;
  let faults: FaultController;
  let server: SimServer;
  let dispatcher: Agent;
  const body = {
    items: Array.from({ length: 50 }, (_, i) => ({
      id: i,
      name: `guest-${i}`,
    })),
  };

  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-server-'));
    ca = await CertificateAuthority.loadOrCreate(path.join(stateDir, 'ca'));
    faults = new FaultController(() => 0.5);
    server = new SimServer({
      service: 'demo',
      router: new Router().get('/items', (_req, res) =>
        sendJson(res, 200, body),
      ),
      faults,
      tls: await ca.issueServer('demo'),
      errorBody: (status, message) => ({ errors: { status, message } }),
    });
    await server.listen(0);
    dispatcher = new Agent({ connect: { ca: ca.certPem } });
  });

  afterEach(() => faults.clear());

  afterAll(async () => {
    await server.close();
    await dispatcher.destroy();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const get = (p = '/items', init: RequestInit = {}) =>
    fetch(`${server.url}${p}`, { ...init, dispatcher } as RequestInit);

  /** The error code under fetch's "fetch failed" TypeError. */
  async function failure(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: any) => e,
    );
    expect(error).toBeDefined();
    return {
      name: error.name,
      code: error.cause?.code ?? error.code,
      message: String(error.cause?.message ?? error.message),
    };
  }

  it('answers normally over TLS from the sim CA when no rule matches', async () => {
    faults.add({ service: 'other', kind: 'error' });
    faults.add({ service: 'demo', kind: 'error', path: '^/elsewhere' });
    faults.add({ service: 'demo', kind: 'error', method: 'POST' });
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(body);
  });

  it('latency: the real answer, later', async () => {
    faults.add({ service: 'demo', kind: 'latency', ms: 400 });
    const started = Date.now();
    const res = await get();
    expect(await res.json()).toEqual(body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('error: the status asked for, with the service-shaped error body', async () => {
    faults.add({ service: 'demo', kind: 'error', status: 503 });
    const res = await get();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      errors: { status: 503, message: 'injected fault: HTTP 503' },
    });
    faults.clear();
    faults.add({ service: 'demo', kind: 'error' });
    expect((await get()).status).toBe(500);
  });

  it('hang: no answer, so the client times out', async () => {
    faults.add({ service: 'demo', kind: 'hang' });
    const error = await failure(
      get('/items', { signal: AbortSignal.timeout(500) }),
    );
    expect(error.name).toBe('TimeoutError');
  });

  it('reset: the connection is reset (ECONNRESET)', async () => {
    faults.add({ service: 'demo', kind: 'reset' });
    expect((await failure(get())).code).toBe('ECONNRESET');
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    faults.add({ service: 'demo', kind: 'malformed' });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const error = await res.json().catch((e: Error) => e);
    expect(toError(error).name).toBe('SyntaxError'); // JSON.parse's
    expect(toError(error).message).toMatch(/JSON/);
  });

  it('truncate: headers promise the whole body, the connection closes halfway', async () => {
    faults.add({ service: 'demo', kind: 'truncate' });
    const res = await get();
    expect(res.status).toBe(200);
    const full = Buffer.byteLength(JSON.stringify(body));
    expect(Number(res.headers.get('content-length'))).toBe(full);
    const error = await failure(res.text());
    expect(error.message).toMatch(/terminated|other side closed/);

    // The same seen with node:https: fewer bytes than content-length, then "aborted".
    // Its own agent: the shared https.globalAgent is other suites' business.
    const agent = new https.Agent({ ca: ca.certPem, keepAlive: false });
    const received = await new Promise<{ bytes: number; aborted: boolean }>(
      (resolve, reject) => {
        const req = https.get(`${server.url}/items`, { agent }, res2 => {
          let bytes = 0;
          let aborted = false;
          res2.on('data', (c: Buffer) => (bytes += c.length));
          res2.on('aborted', () => (aborted = true));
          res2.on('error', () => (aborted = true));
          res2.on('close', () => resolve({ bytes, aborted }));
        });
        req.on('error', reject);
      },
    );
    agent.destroy();
    expect(received.aborted).toBe(true);
    expect(received.bytes).toBe(Math.floor(full / 2));
  });

  it('down: connection refused until the rule is removed, then service again on the same port', async () => {
    const rule = faults.add({ service: 'demo', kind: 'down' });
    await new Promise(r => setTimeout(r, 50));
    expect((await failure(get())).code).toBe('ECONNREFUSED');
    faults.remove(rule.id);
    await new Promise(r => setTimeout(r, 50));
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(body);
  });

  it('rate: a rule fires only for the share of requests it is given', async () => {
    let roll = 0;
    const rolls = [0.1, 0.9];
    const partial = new FaultController(() => rolls[roll++ % 2]);
    partial.add({ service: 'demo', kind: 'error', rate: 0.5 });
    expect(partial.match('demo', 'GET', '/items')?.kind).toBe('error');
    expect(partial.match('demo', 'GET', '/items')).toBeUndefined();
  });
});

describe('FaultController rules', () => {
  it.each([
    [null, 'fault rule must be an object'],
    [{ kind: 'error' }, '"service" is required'],
    [
      { service: 'proxmox', kind: 'explode' },
      '"kind" must be one of latency, error, hang, reset, malformed, truncate, down',
    ],
    [
      { service: 'proxmox', kind: 'error', path: '([' },
      '"path" is not a valid regular expression',
    ],
    [
      { service: 'proxmox', kind: 'latency', ms: 'slow' },
      '"ms" must be a number',
    ],
    [
      { service: 'proxmox', kind: 'error', rate: 2 },
      '"rate" must be between 0 and 1',
    ],
    [
      { service: 'proxmox', kind: 'error', status: 99 },
      '"status" must be an HTTP status 100-599',
    ],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => FaultController.validate(input)).toThrow(message);
  });

  it('parses the CLI form', () => {
    expect(FaultController.parseFlag('kubernetes:latency:ms=50')).toEqual({
      service: 'kubernetes',
      kind: 'latency',
      ms: 50,
      method: undefined,
      path: undefined,
      status: undefined,
      rate: undefined,
    });
    expect(
      FaultController.parseFlag(
        'proxmox:error:status=503,path=^/api2/json/cluster,method=get,rate=0.25',
      ),
    ).toMatchObject({
      service: 'proxmox',
      kind: 'error',
      status: 503,
      path: '^/api2/json/cluster',
      method: 'GET',
      rate: 0.25,
    });
    expect(FaultController.parseFlag('forge:down')).toMatchObject({
      service: 'forge',
      kind: 'down',
    });
    expect(() => FaultController.parseFlag('forge')).toThrow(
      'expected service:kind',
    );
    expect(() => FaultController.parseFlag('forge:error:status')).toThrow(
      'expected key=value, got "status"',
    );
    expect(() => FaultController.parseFlag('forge:error:status=abc')).toThrow(
      '"status" must be a number',
    );
  });

  it('matches the first rule by service, method and path, and lists and removes rules', () => {
    const c = new FaultController();
    const changes: number[] = [];
    c.onChange(() => changes.push(c.list().length));
    const a = c.add({
      service: 'kubernetes',
      kind: 'latency',
      ms: 5,
      path: '^/api/v1/pods',
    });
    c.add({ service: '*', kind: 'error', method: 'POST' });
    expect(c.match('kubernetes', 'GET', '/api/v1/pods')?.id).toBe(a.id);
    expect(
      c.match('kubernetes', 'GET', '/apis/apps/v1/deployments'),
    ).toBeUndefined();
    expect(c.match('forge', 'post', '/x')?.kind).toBe('error');
    expect(c.isDown('kubernetes')).toBe(false);
    c.add({ service: 'kubernetes', kind: 'down', path: '^/x' });
    expect(c.isDown('kubernetes')).toBe(false); // a path-scoped down is per request
    c.add({ service: 'kubernetes', kind: 'down' });
    expect(c.isDown('kubernetes')).toBe(true);
    expect(c.remove(a.id)).toBe(true);
    expect(c.remove(a.id)).toBe(false);
    c.clear('kubernetes');
    expect(c.list().map(r => r.service)).toEqual(['*']);
    expect(changes).toEqual([1, 2, 3, 4, 3, 3, 1]);
  });
});

describe('admin API (HTTPS, bearer token)', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let dispatcher: Agent;
  let adminToken: string;
  let kubeToken: string;

  beforeAll(async () => {
    sim = await startSim({ only: ['kubernetes'], tmpPrefix: 'sim-admin-' });
    dispatcher = sim.dispatcher;
    adminToken = sim.secret('admin/token');
    kubeToken = sim.kubernetes.token;
  });

  afterAll(async () => {
    await sim?.close();
  });

  const admin = (
    method: string,
    p: string,
    body?: unknown,
    token = adminToken,
  ) =>
    fetch(`${sim.sim.url('admin')}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher,
    } as RequestInit);
  const pods = () =>
    fetch(`${sim.kubernetes.url}/api/v1/pods`, {
      headers: { authorization: `Bearer ${kubeToken}` },
      dispatcher,
    } as RequestInit);

  it('adds a rule that a service obeys at once, and removes it', async () => {
    expect((await pods()).status).toBe(200);
    const added = await admin('POST', '/faults', {
      service: 'kubernetes',
      kind: 'error',
      status: 503,
      path: '^/api/v1/pods',
    });
    expect(added.status).toBe(201);
    const rule = await added.json();
    expect(rule).toMatchObject({
      id: expect.any(String),
      service: 'kubernetes',
      kind: 'error',
      status: 503,
    });
    expect(await (await admin('GET', '/faults')).json()).toEqual([
      expect.objectContaining({ id: rule.id, kind: 'error' }),
    ]);
    const failed = await pods();
    expect(failed.status).toBe(503);
    // Shaped like the Kubernetes API server's own errors.
    expect(await failed.json()).toMatchObject({
      kind: 'Status',
      code: 503,
      reason: 'ServiceUnavailable',
    });
    expect((await admin('DELETE', `/faults/${rule.id}`)).status).toBe(204);
    expect((await pods()).status).toBe(200);
    expect((await admin('DELETE', `/faults/${rule.id}`)).status).toBe(404);
  });

  it('refuses invalid rules with the field named, and callers without the token', async () => {
    const bad = await admin('POST', '/faults', {
      service: 'kubernetes',
      kind: 'meltdown',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('"kind" must be one of');
    expect((await admin('GET', '/faults', undefined, 'wrong')).status).toBe(
      401,
    );
    expect((await admin('GET', '/health', undefined, 'wrong')).status).toBe(
      200,
    );
  });

  it('clears the rules of one service', async () => {
    await admin('POST', '/faults', {
      service: 'kubernetes',
      kind: 'latency',
      ms: 1,
    });
    await admin('POST', '/faults', {
      service: 'forge',
      kind: 'latency',
      ms: 1,
    });
    expect((await admin('DELETE', '/faults?service=kubernetes')).status).toBe(
      204,
    );
    expect(
      (await (await admin('GET', '/faults')).json()).map((r: any) => r.service),
    ).toEqual(['forge']);
    await admin('DELETE', '/faults');
  });
});
