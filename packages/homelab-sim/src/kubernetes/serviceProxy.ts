import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../http/Router';
import { SealedSecretsController } from '../sealedSecrets/SealedSecretsController';
import { KubeError } from './api/status';
import type { ClusterSnapshot } from './cluster/ClusterModel';

/**
 * `/api/v1/namespaces/{ns}/services/{id}/proxy/{path}`: the API server's
 * service proxy, resolving `id` the way kube-apiserver's ResourceLocation
 * does (`name`, `name:port`, `scheme:name:port`; a port number is mapped
 * to its port name; the port must have ready endpoints). Only the
 * sealed-secrets controller answers behind it; the sim runs no other app's
 * HTTP server, and says so.
 */
export type ProxyTarget = {
  namespace: string;
  serviceName: string;
  controller: SealedSecretsController;
};

function splitSchemeNamePort(id: string) {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) [name] = parts;
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme, name, port };
}

export async function proxyToService(
  req: SimRequest,
  res: ServerResponse,
  snapshot: ClusterSnapshot,
  namespace: string,
  id: string,
  path: string,
  target: ProxyTarget,
) {
  const parsed = splitSchemeNamePort(id);
  if (!parsed)
    throw new KubeError(400, `invalid service request "${id}"`, 'BadRequest');
  const service = snapshot.objects
    .get('services')!
    .find(
      s =>
        s.metadata.namespace === namespace && s.metadata.name === parsed.name,
    );
  if (!service) {
    throw new KubeError(
      404,
      `services "${parsed.name}" not found`,
      'NotFound',
      {
        name: parsed.name,
        kind: 'services',
      },
    );
  }
  const ports: { name?: string; port: number }[] = service.spec.ports ?? [];
  let portName = parsed.port;
  if (/^\d+$/.test(parsed.port)) {
    const byNumber = ports.find(p => p.port === Number(parsed.port));
    if (!byNumber) {
      throw new KubeError(
        503,
        `no service port ${parsed.port} found for service "${parsed.name}"`,
        'ServiceUnavailable',
      );
    }
    portName = byNumber.name ?? '';
  }
  const port = ports.find(p => (p.name ?? '') === portName);
  const ready = snapshot.objects
    .get('pods')!
    .filter(
      p =>
        p.metadata.namespace === namespace &&
        Object.entries(service.spec.selector ?? {}).every(
          ([k, v]) => p.metadata.labels?.[k] === v,
        ) &&
        p.status?.conditions?.some(
          (c: { type: string; status: string }) =>
            c.type === 'Ready' && c.status === 'True',
        ),
    );
  if (!port || ready.length === 0) {
    throw new KubeError(
      503,
      `no endpoints available for service "${id}"`,
      'ServiceUnavailable',
    );
  }
  const isController =
    namespace === target.namespace && parsed.name === target.serviceName;
  if (!isController) {
    throw new KubeError(
      503,
      `error trying to reach service: the demo homelab does not simulate the HTTP endpoints of ${namespace}/${parsed.name}`,
      'ServiceUnavailable',
    );
  }
  if (parsed.scheme === 'https') {
    // The controller serves plain HTTP on its port.
    throw new KubeError(
      503,
      `error trying to reach service: tls: first record does not look like a TLS handshake`,
      'ServiceUnavailable',
    );
  }
  const body = await req.body();
  // The API server's proxy (Go's ReverseProxy) appends the caller's address
  // to any X-Forwarded-For it was sent; the controller limits per that value.
  const forwardedFor = [
    req.headers['x-forwarded-for'],
    req.socket.remoteAddress ?? '',
  ]
    .filter(Boolean)
    .join(', ');
  const answer = target.controller.handle(path, body, forwardedFor);
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  });
  res.end(answer.body);
}
