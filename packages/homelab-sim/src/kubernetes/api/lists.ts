import type { KubeObject } from '../cluster/ClusterModel';
import { apiVersionOf, ResourceType } from './resources';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';
import { KubeError } from './status';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Field selectors each resource supports (the API server's field label conversions). */
const FIELDS: Record<string, (o: KubeObject) => Record<string, string>> = {
  pods: o => ({
    'spec.nodeName': str(o.spec?.nodeName),
    'spec.restartPolicy': str(o.spec?.restartPolicy),
    'spec.schedulerName': str(o.spec?.schedulerName),
    'spec.serviceAccountName': str(o.spec?.serviceAccountName),
    'spec.hostNetwork': String(o.spec?.hostNetwork ?? false),
    'status.phase': str(o.status?.phase),
    'status.podIP': str(o.status?.podIP),
    'status.nominatedNodeName': str(o.status?.nominatedNodeName),
  }),
  events: o => ({
    'involvedObject.kind': str(o.involvedObject?.kind),
    'involvedObject.namespace': str(o.involvedObject?.namespace),
    'involvedObject.name': str(o.involvedObject?.name),
    'involvedObject.uid': str(o.involvedObject?.uid),
    'involvedObject.apiVersion': str(o.involvedObject?.apiVersion),
    'involvedObject.resourceVersion': str(o.involvedObject?.resourceVersion),
    'involvedObject.fieldPath': str(o.involvedObject?.fieldPath),
    reason: str(o.reason),
    reportingComponent: str(o.reportingComponent),
    source: str(o.source?.component),
    type: str(o.type),
  }),
  nodes: o => ({
    'spec.unschedulable': String(o.spec?.unschedulable ?? false),
  }),
  namespaces: o => ({ 'status.phase': str(o.status?.phase) }),
  services: o => ({
    'spec.clusterIP': str(o.spec?.clusterIP),
    'spec.type': str(o.spec?.type),
  }),
  'replicasets.apps': o => ({ 'status.replicas': str(o.status?.replicas) }),
  'jobs.batch': o => ({ 'status.successful': str(o.status?.succeeded ?? 0) }),
};

function fieldsOf(key: string, o: KubeObject): Record<string, string> {
  return {
    'metadata.name': o.metadata.name,
    'metadata.namespace': o.metadata.namespace ?? '',
    ...FIELDS[key]?.(o),
  };
}

/** Built-in types are listed without per-item kind/apiVersion; CRDs keep them. */
function isCustomResource(r: ResourceType) {
  return r.crd !== undefined;
}

export function withoutTypeMeta(o: KubeObject) {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

type ContinueToken = { rv: string; start: number };

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.rv === 'string' && Number.isInteger(parsed.start))
      return parsed;
  } catch {
    // answered below
  }
  throw new KubeError(
    400,
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    'BadRequest',
  );
}

/** The objects a list or watch selects: namespace, `labelSelector`, `fieldSelector`. */
export function selectObjects(
  key: string,
  all: KubeObject[],
  namespace: string | undefined,
  query: URLSearchParams,
) {
  let items = namespace
    ? all.filter(o => o.metadata.namespace === namespace)
    : all;
  try {
    const labelSelector = query.get('labelSelector');
    if (labelSelector) {
      const requirements = parseLabelSelector(labelSelector);
      items = items.filter(o => matchesLabels(requirements, o.metadata.labels));
    }
    const fieldSelector = query.get('fieldSelector');
    if (fieldSelector) {
      const requirements = parseFieldSelector(fieldSelector);
      const supported = fieldsOf(key, {
        apiVersion: '',
        kind: '',
        metadata: { name: '' },
      });
      for (const r of requirements) {
        if (!(r.field in supported))
          throw new SelectorError(`field label not supported: ${r.field}`);
      }
      items = items.filter(o => matchesFields(requirements, fieldsOf(key, o)));
    }
  } catch (error) {
    if (error instanceof SelectorError)
      throw new KubeError(400, error.message, 'BadRequest');
    throw error;
  }
  return items;
}

/**
 * A list call: namespace scoping, `labelSelector`, `fieldSelector`, and
 * `limit`/`continue` paging. Answers the items and the list's metadata.
 */
export function pageObjects(
  resource: ResourceType,
  key: string,
  all: KubeObject[],
  namespace: string | undefined,
  query: URLSearchParams,
  resourceVersion: string,
) {
  let items = selectObjects(key, all, namespace, query);
  const metrics = resource.group === 'metrics.k8s.io';
  const metadata: Record<string, unknown> = metrics ? {} : { resourceVersion };
  const limitText = query.get('limit');
  const continueText = query.get('continue');
  let start = 0;
  if (continueText) {
    const token = decodeContinue(continueText);
    start = token.start;
    if (!metrics) metadata.resourceVersion = token.rv;
  }
  const limit = limitText && /^\d+$/.test(limitText) ? Number(limitText) : 0;
  if (limit > 0 && start + limit < items.length) {
    metadata.continue = Buffer.from(
      JSON.stringify({
        rv: String(metadata.resourceVersion ?? ''),
        start: start + limit,
      }),
    ).toString('base64url');
    metadata.remainingItemCount = items.length - start - limit;
    items = items.slice(start, start + limit);
  } else if (start) {
    items = items.slice(start);
  }
  return { items, metadata };
}

/** A list call answered as an `XxxList`. */
export function listObjects(
  resource: ResourceType,
  key: string,
  all: KubeObject[],
  namespace: string | undefined,
  query: URLSearchParams,
  resourceVersion: string,
) {
  const { items, metadata } = pageObjects(
    resource,
    key,
    all,
    namespace,
    query,
    resourceVersion,
  );
  return {
    kind: `${resource.kind}List`,
    apiVersion: apiVersionOf(resource),
    metadata,
    // A CRD served in several versions stores one object: each version
    // answers with its own apiVersion.
    items: isCustomResource(resource)
      ? items.map(o => ({ ...o, apiVersion: apiVersionOf(resource) }))
      : items.map(withoutTypeMeta),
  };
}
