import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { Agent, fetch as undiciFetch } from 'undici';
import { KubernetesAccess, SealedSecretsConfig } from '../../config';
import { parseSealingCertificate, SealingCertificate } from './certificate';

/**
 * Gets the sealing certificate from where config says: the controller through
 * the Kubernetes API service proxy (as `kubeseal --fetch-cert` does), a URL,
 * or a PEM in config. Fetched for every run: the controller renews its key.
 */
export async function fetchSealingCertificate(
  config: SealedSecretsConfig,
  now: Date = new Date(),
): Promise<SealingCertificate> {
  switch (config.certificateSource) {
    case 'static': {
      if (!config.certificate) {
        throw new InputError(
          'homelab.gitops.sealedSecrets.certificateSource is static, but no certificate is configured',
        );
      }
      return parseSealingCertificate(config.certificate, 'config', now);
    }
    case 'url': {
      if (!config.certificateUrl) {
        throw new InputError(
          'homelab.gitops.sealedSecrets.certificateSource is url, but certificateUrl is not configured',
        );
      }
      const res = await fetch(config.certificateUrl, {
        headers: { accept: 'application/x-pem-file, */*' },
        signal: AbortSignal.timeout(30_000),
      }).catch(error => {
        throw new ServiceUnavailableError(
          `The sealed-secrets certificate could not be fetched from ${config.certificateUrl}: ${error.message}`,
        );
      });
      if (!res.ok) {
        throw new ServiceUnavailableError(
          `The sealed-secrets certificate could not be fetched from ${config.certificateUrl}: HTTP ${res.status}`,
        );
      }
      return parseSealingCertificate(
        await res.text(),
        config.certificateUrl,
        now,
      );
    }
    default:
      return fromController(config, now);
  }
}

/** Minimal Kubernetes API client: bearer token, the cluster's own CA. */
class KubernetesApi {
  private readonly agent?: Agent;

  constructor(private readonly access: KubernetesAccess) {
    if (access.caData)
      this.agent = new Agent({ connect: { ca: access.caData } });
  }

  async get(path: string, accept: string, what: string): Promise<string> {
    const url = `${this.access.url.replace(/\/$/, '')}${path}`;
    let res;
    try {
      res = await undiciFetch(url, {
        headers: {
          accept,
          ...(this.access.token && {
            authorization: `Bearer ${this.access.token}`,
          }),
        },
        dispatcher: this.agent,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The Kubernetes API at ${
          this.access.url
        } could not be reached for ${what}: ${(error as Error).message}`,
      );
    }
    const text = await res.text();
    if (res.ok) return text;
    let hint = '';
    if (res.status === 401 || res.status === 403) {
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

  async close() {
    await this.agent?.close();
  }
}

async function fromController(
  config: SealedSecretsConfig,
  now: Date,
): Promise<SealingCertificate> {
  if (!config.kubernetes) {
    throw new InputError(
      'No Kubernetes API is configured to reach the sealed-secrets controller',
    );
  }
  const access = config.kubernetes();
  const { namespace, name } = config.controller;
  const where = `Service ${namespace}/${name}`;
  const api = new KubernetesApi(access);
  try {
    let port = config.controller.port ?? '';
    if (!port) {
      // kubeseal reads the Service's first port (the chart names it "http").
      const service = await api.get(
        `/api/v1/namespaces/${encodeURIComponent(
          namespace,
        )}/services/${encodeURIComponent(name)}`,
        'application/json',
        where,
      );
      const first = JSON.parse(service).spec?.ports?.[0];
      port = String(first?.name || first?.port || '');
      if (!port) throw new ServiceUnavailableError(`${where} has no ports`);
    }
    if (/^\d+$/.test(port)) {
      // RBAC names the proxy target as written: the chart's Role lists the
      // port name only, so a number is 403 in a real cluster.
      port = await api
        .get(
          `/api/v1/namespaces/${encodeURIComponent(
            namespace,
          )}/services/${encodeURIComponent(name)}`,
          'application/json',
          where,
        )
        .then(
          text =>
            JSON.parse(text).spec?.ports?.find(
              (p: { port: number; name?: string }) =>
                String(p.port) === port && p.name,
            )?.name ?? port,
          () => port,
        );
    }
    const pem = await api.get(
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
  } finally {
    await api.close();
  }
}
