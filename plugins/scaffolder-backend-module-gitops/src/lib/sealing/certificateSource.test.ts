import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DefaultKubernetesClusterService } from '@homelab-portal/plugin-kubernetes-cluster-node';
import {
  mountServiceAccount,
  ServiceAccountMount,
} from '@homelab-portal/plugin-kubernetes-cluster-node/testUtils';
import { SimUnderTest, startSim } from '../../__testUtils__/sim';
import { readGitopsConfig } from '../../config';
import { SealingCertificateSource } from './certificateSource';

// Starts the demo Kubernetes API with the sealed-secrets controller (no
// forge: nothing here reads a repository).
jest.setTimeout(60_000);

const gitops = {
  allowedDomains: ['home.example.org'],
  gateways: {},
};

describe('SealingCertificateSource', () => {
  let s: SimUnderTest;
  let controllerCert: X509Certificate;
  let mount: ServiceAccountMount | undefined;
  const services: DefaultKubernetesClusterService[] = [];

  beforeAll(async () => {
    s = await startSim({ only: ['kubernetes'] });
    controllerCert = new X509Certificate(
      fs.readFileSync(path.join(s.stateDir, 'sealed-secrets/tls.crt')),
    );
  });

  afterEach(async () => {
    mount?.remove();
    mount = undefined;
    await Promise.all(services.splice(0).map(c => c.close()));
  });

  afterAll(() => s?.close());

  /** The production config's cluster: no token, the Pod's service account. */
  function inPod(token: string, sealedSecrets: JsonObject = {}) {
    mount = mountServiceAccount({
      apiServer: s.kubernetesUrl,
      caPem: fs.readFileSync(s.caFile, 'utf8'),
      token,
    });
    const root = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'homelab',
                url: 'https://kubernetes.default.svc',
                authProvider: 'serviceAccount',
                caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
              },
            ],
          },
        ],
      },
      homelab: { gitops: { ...gitops, sealedSecrets } },
    });
    const clusters = DefaultKubernetesClusterService.fromConfig(root, {
      serviceAccountPathPrefix: mount.prefix,
    });
    services.push(clusters);
    return new SealingCertificateSource(
      readGitopsConfig(root).sealedSecrets,
      clusters,
    );
  }

  it("fetches the controller's certificate with the Pod's mounted service account", async () => {
    const cert = await inPod(s.kubernetesToken).fetch();
    expect(cert.fingerprint256).toBe(controllerCert.fingerprint256);
    expect(cert.source).toBe(
      'the sealed-secrets controller (Service kube-system/sealed-secrets-controller)',
    );
  });

  it('says which identity the API server refused', async () => {
    await expect(inPod('revoked').fetch()).rejects.toThrow(
      "answered HTTP 401 through the Kubernetes API; the API server refused the Pod's service account (expired or revoked token?)",
    );
  });

  it('accepts the pinned certificate, in either fingerprint notation', async () => {
    const hex = controllerCert.fingerprint256.replace(/:/g, '').toLowerCase();
    for (const pin of [controllerCert.fingerprint256, hex]) {
      const cert = await inPod(s.kubernetesToken, {
        certificateFingerprint: pin,
      }).fetch();
      expect(cert.fingerprint256).toBe(controllerCert.fingerprint256);
      mount?.remove();
      mount = undefined;
    }
  });

  it('refuses any other certificate than the pinned one', async () => {
    await expect(
      inPod(s.kubernetesToken, {
        certificateFingerprint: 'ab'.repeat(32),
      }).fetch(),
    ).rejects.toThrow(
      `has the SHA-256 fingerprint ${controllerCert.fingerprint256}, not the one pinned in homelab.gitops.sealedSecrets.certificateFingerprint; nothing was sealed`,
    );
  });
});

describe('sealing certificate config', () => {
  const read = (sealedSecrets: JsonObject) => () =>
    readGitopsConfig(
      new ConfigReader({ homelab: { gitops: { ...gitops, sealedSecrets } } }),
    );

  it('refuses a certificate address that is not https://', () => {
    expect(
      read({
        certificateSource: 'url',
        certificateUrl: 'http://sealed-secrets.home.arpa/v1/cert.pem',
      }),
    ).toThrow(
      'homelab.gitops.sealedSecrets.certificateUrl must be an https:// address (got "http://sealed-secrets.home.arpa/v1/cert.pem")',
    );
    expect(
      read({
        certificateSource: 'url',
        certificateUrl: 'https://sealed-secrets.home.arpa/v1/cert.pem',
      }),
    ).not.toThrow();
  });

  it('refuses a pin that is not a SHA-256 fingerprint', () => {
    expect(read({ certificateFingerprint: 'ab:cd' })).toThrow(
      'homelab.gitops.sealedSecrets.certificateFingerprint must be a SHA-256 fingerprint',
    );
  });
});
