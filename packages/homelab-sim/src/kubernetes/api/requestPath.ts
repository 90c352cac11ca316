/**
 * What a Kubernetes API path asks for, split the way the API server's
 * RequestInfoFactory does: `/api/v1/...` is the core group,
 * `/apis/<group>/<version>/...` a named group; `namespaces/<ns>/` scopes
 * the rest, except `/api/v1/namespaces/<name>` itself, which is a Namespace.
 */
export type ResourceRequest = {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** Path after `.../services/<id>/proxy` (service proxy). */
  rest?: string;
};

export type DiscoveryRequest =
  | { kind: 'core-versions' } // /api
  | { kind: 'groups' } // /apis
  | { kind: 'group'; group: string } // /apis/<g>
  | { kind: 'resources'; group: string; version: string }; // /api/v1, /apis/<g>/<v>

export function parseApiPath(
  pathname: string,
): ResourceRequest | DiscoveryRequest | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/').slice(1);
  let decoded: string[];
  try {
    decoded = segments.map(s => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (decoded.some(s => s === '')) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (decoded[0] === 'api') {
    if (decoded.length === 1) return { kind: 'core-versions' };
    group = '';
    version = decoded[1];
    rest = decoded.slice(2);
  } else if (decoded[0] === 'apis') {
    if (decoded.length === 1) return { kind: 'groups' };
    if (decoded.length === 2) return { kind: 'group', group: decoded[1] };
    group = decoded[1];
    version = decoded[2];
    rest = decoded.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { kind: 'resources', group, version };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...tail] = rest;
  if (tail.length && !(subresource === 'proxy')) return undefined;
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    plural,
    name,
    subresource,
    ...(subresource === 'proxy' && {
      rest: `/${segments.slice(segments.length - tail.length).join('/')}`,
    }),
  };
}
