import {
  InputError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import {
  KubernetesCluster,
  KubernetesClusterError,
  KubernetesClusterService,
} from '@homelab-portal/plugin-kubernetes-cluster-node';
import type { SealedSecretsConfig } from '../../config';
import {
  normalizeFingerprint,
  parseSealingCertificate,
  SealingCertificate,
} from './certificate';

/**
 * Gets the sealing certificate from where config says: the controller through
 * the Kubernetes API service proxy (as `kubeseal --fetch-cert` does), an
 * https:// address, or a PEM in config. Fetched for every run: the
 * controller renews its key. With a fingerprint pinned, any other
 * certificate is refused, whatever its source.
 */
export class SealingCertificateSource {
  private cluster?: KubernetesCluster;

  constructor(
    private readonly config: SealedSecretsConfig,
    private readonly clusters: KubernetesClusterService,
  ) {}

  async fetch(now: Date = new Date()): Promise<SealingCertificate> {
    const cert = await this.fetchUnpinned(now);
    const pin = this.config.certificateFingerprint;
    if (pin && normalizeFingerprint(cert.fingerprint256) !== pin) {
      throw new InputError(
        `The sealed-secrets certificate from ${cert.source} has the SHA-256 fingerprint ${cert.fingerprint256}, not the one pinned in homelab.gitops.sealedSecrets.certificateFingerprint; nothing was sealed. If the controller renewed its key, compare with \`kubeseal --fetch-cert | openssl x509 -noout -fingerprint -sha256\` and update the pin.`,
      );
    }
    return cert;
  }

  private async fetchUnpinned(now: Date): Promise<SealingCertificate> {
    const config = this.config;
    switch (config.certificateSource) {
      case 'static': {
        if (!config.certificate) {
          throw new InputError(
            'homelab.gitops.sealedSecrets.certificateSource is static, but no certificate is configured',
          );
        }
        return parseSealingCertificate(config.certificate, 'config', now);
      }
      case 'url':
        return fromUrl(config.certificateUrl, now);
      default:
        return fromController(config, this.resolveCluster(), now);
    }
  }

  /** The cluster the controller runs in, resolved once. */
  private resolveCluster(): KubernetesCluster {
    if (this.cluster) return this.cluster;
    const target = this.config.kubernetes;
    if ('settings' in target) {
      this.cluster = this.clusters.fromSettings(target.settings);
      return this.cluster;
    }
    try {
      this.cluster = this.clusters.getCluster(target.cluster);
    } catch (error) {
      throw new InputError(
        `The sealed-secrets certificate comes from the controller, but ${
          toError(error).message
        } (or set homelab.gitops.sealedSecrets.kubernetes)`,
      );
    }
    return this.cluster;
  }
}

/** The PEM at an https:// address (config refuses http://). */
async function fromUrl(
  url: string | undefined,
  now: Date,
): Promise<SealingCertificate> {
  if (!url) {
    throw new InputError(
      'homelab.gitops.sealedSecrets.certificateSource is url, but certificateUrl is not configured',
    );
  }
  const res = await fetch(url, {
    headers: { accept: 'application/x-pem-file, */*' },
    signal: AbortSignal.timeout(30_000),
  }).catch(error => {
    const cause = toError(toError(error).cause ?? error);
    throw new ServiceUnavailableError(
      `The sealed-secrets certificate could not be fetched from ${url}: ${cause.message}`,
    );
  });
  if (!res.ok) {
    throw new ServiceUnavailableError(
      `The sealed-secrets certificate could not be fetched from ${url}: HTTP ${res.status}`,
    );
  }
  return parseSealingCertificate(await res.text(), url, now);
}

/** GETs through the cluster's API server, with hints for the usual refusals. */
async function getThrough(
  cluster: KubernetesCluster,
  path: string,
  accept: string,
  what: string,
): Promise<string> {
  let res;
  try {
    res = await cluster.fetch(path, {
      headers: { accept },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    if (error instanceof KubernetesClusterError) {
      throw new ServiceUnavailableError(
        `The sealed-secrets certificate cannot be fetched: ${error.message}`,
      );
    }
    const cause = toError(toError(error).cause ?? error);
    throw new ServiceUnavailableError(
      `The Kubernetes API of cluster "${cluster.name}" could not be reached for ${what}: ${cause.message}`,
    );
  }
  const text = await res.text();
  if (res.ok) return text;
  let hint = '';
  if (res.status === 401) {
    hint = `; the API server refused ${await cluster.identity()} (expired or revoked token?)`;
  } else if (res.status === 403) {
    hint =
      '; the portal needs get on services and get/create on services/proxy for the controller (the chart\'s "service-proxier" Role)';
  } else if (res.status === 404) {
    hint =
      '; check homelab.gitops.sealedSecrets.controller (namespace, name, port)';
  }
  throw new ServiceUnavailableError(
    `${what} answered HTTP ${res.status} through the Kubernetes API${hint}`,
  );
}

async function fromController(
  config: SealedSecretsConfig,
  cluster: KubernetesCluster,
  now: Date,
): Promise<SealingCertificate> {
  const { namespace, name } = config.controller;
  const where = `Service ${namespace}/${name}`;
  const service = () =>
    getThrough(
      cluster,
      `/api/v1/namespaces/${encodeURIComponent(
        namespace,
      )}/services/${encodeURIComponent(name)}`,
      'application/json',
      where,
    );
  let port = config.controller.port ?? '';
  if (!port) {
    // kubeseal reads the Service's first port (the chart names it "http").
    const first = JSON.parse(await service()).spec?.ports?.[0];
    port = String(first?.name || first?.port || '');
    if (!port) throw new ServiceUnavailableError(`${where} has no ports`);
  }
  if (/^\d+$/.test(port)) {
    // RBAC names the proxy target as written: the chart's Role lists the
    // port name only, so a number is 403 in a real cluster.
    const byNumber = port;
    port = await service().then(
      text =>
        JSON.parse(text).spec?.ports?.find(
          (p: { port: number; name?: string }) =>
            String(p.port) === byNumber && p.name,
        )?.name ?? byNumber,
      () => byNumber,
    );
  }
  const pem = await getThrough(
    cluster,
    `/api/v1/namespaces/${encodeURIComponent(
      namespace,
    )}/services/${encodeURIComponent(
      `http:${name}:${port}`,
    )}/proxy/v1/cert.pem`,
    'application/x-pem-file, */*',
    `the sealed-secrets controller (${where}, port ${port})`,
  );
  return parseSealingCertificate(
    pem,
    `the sealed-secrets controller (${where})`,
    now,
  );
}
