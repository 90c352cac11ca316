import {
  constants,
  createCipheriv,
  publicEncrypt,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import fs from 'node:fs';
import { Agent } from 'undici';
import { SimUnderTest, startSim } from '../testUtils';
import { crdValidator } from '../kubernetes/__testUtils__/validators';
import { sealSecret, SealingScope } from './crypto';

// Starting servers, an RSA-4096 key or a backend takes seconds on a busy machine.
jest.setTimeout(60_000);

const validateSealedSecret = crdValidator(
  'bitnami.com_sealedsecrets.yaml',
  'v1alpha1',
);

/**
 * The sealed-secrets controller as kubeseal reaches it: through the
 * Kubernetes API service proxy of the simulated cluster, with the portal's
 * ServiceAccount token (notes/gitops-sealed-secrets-httproute.md §1.4, §1.5).
 */
describe('sealed-secrets controller behind the API service proxy', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let dispatcher: Agent;
  let token: string;
  let adminToken: string;
  let base: string;
  let certificatePem: string;

  /**
   * How far the sim's clock runs ahead of the real one: waiting out the
   * controller's rate limit moves it on instead of sleeping.
   */
  let skew = 0;

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes'],
      now: () => Date.now() + skew,
      tmpPrefix: 'sim-sealed-',
    });
    dispatcher = sim.dispatcher;
    token = sim.kubernetes.token;
    adminToken = sim.kubernetes.tokenOf('admin');
    base = `${sim.kubernetes.url}/api/v1/namespaces/kube-system/services`;
  });

  afterAll(async () => {
    await sim?.close();
  });

  const call = (p: string, init: RequestInit = {}, as = token) =>
    fetch(`${base}/${p}`, {
      ...init,
      headers: { authorization: `Bearer ${as}`, ...init.headers },
      dispatcher,
    } as RequestInit);

  /** POST /v1/verify like kubeseal --validate, waiting out the controller's rate limit. */
  async function verify(body: unknown): Promise<number> {
    for (;;) {
      const res = await call(
        'http:sealed-secrets-controller:http/proxy/v1/verify',
        {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
        },
      );
      await res.arrayBuffer();
      if (res.status !== 429) return res.status;
      skew += Number(res.headers.get('retry-after') ?? 1) * 1000;
    }
  }

  it('has the Service kubeseal reads the port name from', async () => {
    const res = await fetch(`${base}/sealed-secrets-controller`, {
      headers: { authorization: `Bearer ${token}` },
      dispatcher,
    } as RequestInit);
    const service = await res.json();
    expect(service.spec.ports[0]).toMatchObject({ name: 'http', port: 8080 });
  });

  it('serves the current certificate on every service id form kubeseal and the API server accept', async () => {
    for (const id of [
      'http:sealed-secrets-controller:http',
      'sealed-secrets-controller:http',
      'sealed-secrets-controller:8080',
      'http:sealed-secrets-controller:8080',
      encodeURIComponent('http:sealed-secrets-controller:http'),
    ]) {
      // As cluster-admin: RBAC lets every form through to the proxy.
      const res = await call(
        `${id}/proxy/v1/cert.pem`,
        { headers: { accept: 'application/x-pem-file, */*' } },
        adminToken,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-pem-file');
      certificatePem = await res.text();
      const cert = new X509Certificate(certificatePem);
      expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    }
    // The same certificate as the one persisted in the state folder.
    expect(certificatePem).toBe(
      fs.readFileSync(sim.path('sealed-secrets/tls.crt'), 'utf8'),
    );
  });

  it("lets the portal through only on the ids the chart's service-proxier Role names", async () => {
    // The Role's resourceNames are `http:<name>:`, `http:<name>:http` and
    // `<name>`: the first two reach the proxy, which then finds no port
    // named "" (503) or answers; anything else is RBAC's 403, as a real
    // cluster answers a fallback that proxies by port number.
    const statusOf = async (id: string) => {
      const res = await call(`${id}/proxy/v1/cert.pem`);
      return [res.status, (await res.text()).slice(0, 400)];
    };
    expect((await statusOf('http:sealed-secrets-controller:http'))[0]).toBe(
      200,
    );
    expect((await statusOf('http:sealed-secrets-controller:'))[0]).toBe(503);
    expect((await statusOf('sealed-secrets-controller'))[0]).toBe(503);
    for (const id of [
      'sealed-secrets-controller:http',
      'sealed-secrets-controller:8080',
      'http:sealed-secrets-controller:8080',
    ]) {
      const [status, body] = await statusOf(id);
      expect(status).toBe(403);
      expect(JSON.parse(String(body))).toMatchObject({
        kind: 'Status',
        reason: 'Forbidden',
        message: `services "${id}" is forbidden: User "system:serviceaccount:backstage:backstage" cannot get resource "services/proxy" in API group "" in the namespace "kube-system"`,
        details: { name: id, kind: 'services' },
      });
    }
    // POST is `create` on services/proxy, which the Role grants too.
    const verified = await call(
      'http:sealed-secrets-controller:http/proxy/v1/verify',
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(verified.status).not.toBe(403);
    await verified.arrayBuffer();
  });

  it('answers like the API server for a service id that cannot be reached', async () => {
    const status = async (id: string) => {
      const res = await call(`${id}/proxy/v1/cert.pem`, {}, adminToken);
      const body = await res.json();
      expect(body).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
      });
      return [res.status, body.reason, body.message];
    };
    expect(await status('http:nope:http')).toEqual([
      404,
      'NotFound',
      'services "nope" not found',
    ]);
    expect(await status('sealed-secrets-controller:9999')).toEqual([
      503,
      'ServiceUnavailable',
      'no service port 9999 found for service "sealed-secrets-controller"',
    ]);
    // No port name given, but the only port is named "http": no endpoint matches.
    expect(await status('sealed-secrets-controller')).toEqual([
      503,
      'ServiceUnavailable',
      'no endpoints available for service "sealed-secrets-controller"',
    ]);
    expect((await status('ftp:sealed-secrets-controller:http'))[0]).toBe(400);
    // Without the token, the API server refuses before proxying.
    const anonymous = await fetch(
      `${base}/http:sealed-secrets-controller:http/proxy/v1/cert.pem`,
      { dispatcher } as RequestInit,
    );
    expect(anonymous.status).toBe(401);
  });

  it.each(['strict', 'namespace-wide', 'cluster-wide'] as SealingScope[])(
    'verifies %s secrets sealed with the served certificate and refuses tampered ones',
    async scope => {
      const sealed = sealSecret(
        certificatePem,
        {
          metadata: { name: 'paperless-db', namespace: 'documents' },
          stringData: {
            PAPERLESS_DBPASS: 'correct horse',
            PAPERLESS_SECRET_KEY: 'k',
          },
        },
        scope,
      );
      // What the sim's sealing produces is a SealedSecret by the upstream CRD.
      expect(() => validateSealedSecret(sealed)).not.toThrow();
      expect(await verify(sealed)).toBe(200);

      const tampered = structuredClone(sealed);
      const bytes = Buffer.from(
        tampered.spec.encryptedData.PAPERLESS_DBPASS,
        'base64',
      );
      bytes[2 + 512 + 3] ^= 0x40; // inside the AES-GCM ciphertext, after the RSA block
      tampered.spec.encryptedData.PAPERLESS_DBPASS = bytes.toString('base64');
      expect(await verify(tampered)).toBe(409);
    },
  );

  it('refuses values moved out of their scope', async () => {
    const strict = sealSecret(certificatePem, {
      metadata: { name: 'paperless-db', namespace: 'documents' },
      stringData: { PAPERLESS_DBPASS: 'x' },
    });
    // Strict: another name in the same namespace cannot open it.
    expect(
      await verify({
        ...strict,
        metadata: { ...strict.metadata, name: 'other' },
      }),
    ).toBe(409);
    // Claiming a wider scope after sealing strictly does not help.
    expect(
      await verify({
        ...strict,
        metadata: {
          ...strict.metadata,
          annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' },
        },
      }),
    ).toBe(409);
    const nsWide = sealSecret(
      certificatePem,
      {
        metadata: { name: 'a', namespace: 'documents' },
        stringData: { k: 'v' },
      },
      'namespace-wide',
    );
    expect(
      await verify({
        ...nsWide,
        metadata: { ...nsWide.metadata, name: 'renamed' },
      }),
    ).toBe(200);
    expect(
      await verify({
        ...nsWide,
        metadata: { ...nsWide.metadata, namespace: 'media' },
      }),
    ).toBe(409);
  });

  it('opens a value sealed by an independent implementation of the format', async () => {
    // Written from the notes on node:crypto alone, sharing nothing with crypto.ts.
    const publicKey = new X509Certificate(certificatePem).publicKey;
    const sessionKey = randomBytes(32);
    const wrapped = publicEncrypt(
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: Buffer.from('security/vaultwarden-admin'),
      },
      sessionKey,
    );
    const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    const body = Buffer.concat([
      cipher.update('hunter2', 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    const value = Buffer.concat([
      Buffer.from([wrapped.length >> 8, wrapped.length & 0xff]),
      wrapped,
      body,
    ]).toString('base64');
    const sealed = {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'vaultwarden-admin', namespace: 'security' },
      spec: { encryptedData: { ADMIN_TOKEN: value } },
    };
    expect(await verify(sealed)).toBe(200);
    expect(
      await verify({
        ...sealed,
        metadata: { ...sealed.metadata, namespace: 'other' },
      }),
    ).toBe(409);
  });

  it('answers 500 for a body that is not one SealedSecret, as the controller does', async () => {
    expect(await verify('not json at all: [')).toBe(500);
    expect(
      await verify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'x' },
      }),
    ).toBe(500);
    const one = sealSecret(certificatePem, {
      metadata: { name: 'a', namespace: 'b' },
      stringData: { k: 'v' },
    });
    expect(
      await verify(`${JSON.stringify(one)}\n---\n${JSON.stringify(one)}`),
    ).toBe(500);
  });

  it('rate limits verify like the controller: three at once, then 429 with Retry-After', async () => {
    const body = JSON.stringify(
      sealSecret(certificatePem, {
        metadata: { name: 'a', namespace: 'b' },
        stringData: { k: 'v' },
      }),
    );
    // A bucket of its own: the proxy appends the caller's address to the
    // X-Forwarded-For it is sent, and the controller limits per that value,
    // so the other tests' verify calls do not count here.
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const res = await call(
          'http:sealed-secrets-controller:http/proxy/v1/verify',
          {
            method: 'POST',
            body,
            headers: { 'x-forwarded-for': '192.0.2.10' },
          },
        );
        return {
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          text: await res.text(),
        };
      }),
    );
    // Three pass at once; six within 1.5 s cannot all pass at 2/s.
    expect(answers.filter(a => a.status === 200).length).toBeGreaterThanOrEqual(
      3,
    );
    const refused = answers.filter(a => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0].text).toBe('limit exceeded\n');
    expect(Number(refused[0].retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('re-encrypts with the latest key on /v1/rotate and serves /healthz', async () => {
    const sealed = sealSecret(certificatePem, {
      metadata: { name: 'a', namespace: 'b' },
      stringData: { k: 'v' },
    });
    const res = await call(
      'http:sealed-secrets-controller:http/proxy/v1/rotate',
      {
        method: 'POST',
        body: JSON.stringify(sealed),
      },
    );
    expect(res.status).toBe(200);
    const rotated = JSON.parse(await res.text());
    expect(rotated.spec.encryptedData.k).not.toBe(sealed.spec.encryptedData.k);
    expect(await verify(rotated)).toBe(200);
    const health = await call(
      'http:sealed-secrets-controller:http/proxy/healthz',
    );
    expect(await health.text()).toBe('ok\n');
    const missing = await call(
      'http:sealed-secrets-controller:http/proxy/v2/nothing',
    );
    expect(missing.status).toBe(404);
  });
});
