import { createHash } from 'node:crypto';
import { RESOURCES, ResourceType } from '../api/resources';
import { modelClassOf, OpenApiSchema, SchemaSet } from './builtInSchemas';

/**
 * The API server's OpenAPI v3 documents: a root listing one document per
 * group version (`/openapi/v3`), and per group version the paths of its
 * resources and the schemas of its kinds (`/openapi/v3/apis/apps/v1`).
 * Built-in kinds come from client-node's models, custom resources from
 * their CRD's `openAPIV3Schema`, as the apiextensions-apiserver publishes
 * them (metadata as a reference to ObjectMeta).
 */

const OBJECT_META_DOC =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** `gateway.networking.k8s.io` → `io.k8s.networking.gateway`, as for CRDs. */
function crdPackage(group: string) {
  return group.split('.').reverse().join('.');
}

const queryParam = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

const WRITE_PARAMS = [
  queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted.',
  ),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn and Strict.',
  ),
];

const pathParam = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

function paths(r: ResourceType, schemaName: string) {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : '/api/v1';
  const collection = r.namespaced
    ? `${prefix}/namespaces/{namespace}/${r.plural}`
    : `${prefix}/${r.plural}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const body = {
    content: {
      'application/json': {
        schema: { $ref: `#/components/schemas/${schemaName}` },
      },
    },
    required: true,
  };
  const ok = {
    '200': {
      description: 'OK',
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${schemaName}` },
        },
      },
    },
  };
  const op = (action: string, extra: object = {}) => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: ok,
    ...extra,
  });
  const scope = r.namespaced ? [pathParam('namespace')] : [];
  const writable = r.verbs.includes('create');
  return {
    [collection]: {
      parameters: scope,
      get: op('list'),
      ...(writable && {
        post: op('post', { parameters: WRITE_PARAMS, requestBody: body }),
      }),
    },
    [`${collection}/{name}`]: {
      parameters: [pathParam('name'), ...scope],
      get: op('get'),
      ...(writable && {
        put: op('put', { parameters: WRITE_PARAMS, requestBody: body }),
        patch: op('patch', {
          parameters: WRITE_PARAMS,
          requestBody: {
            content: {
              'application/merge-patch+json': { schema: { type: 'object' } },
            },
            required: true,
          },
        }),
        delete: op('delete'),
      }),
    },
  };
}

function crdSchema(r: ResourceType, set: SchemaSet): OpenApiSchema {
  const schema: OpenApiSchema = structuredClone(
    r.crd!.version.schema?.openAPIV3Schema ?? {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    },
  );
  const meta = set.ref('V1ObjectMeta', '');
  schema.properties = {
    ...schema.properties,
    metadata: {
      description: OBJECT_META_DOC,
      allOf: [{ $ref: `#/components/schemas/${meta}` }],
    },
  };
  schema['x-kubernetes-group-version-kind'] = [
    { group: r.group, version: r.version, kind: r.kind },
  ];
  return schema;
}

/** `api/v1`, `apis/apps/v1`: the key of a group version in the root. */
function gvPath(r: Pick<ResourceType, 'group' | 'version'>) {
  return r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
}

function buildDocument(key: string) {
  const resources = RESOURCES.filter(r => gvPath(r) === key);
  if (resources.length === 0) return undefined;
  const set = new SchemaSet();
  let allPaths: Record<string, object> = {};
  for (const r of resources) {
    let name: string | undefined;
    if (r.crd) {
      name = `${crdPackage(r.group)}.${r.version}.${r.kind}`;
      set.schemas[name] = crdSchema(r, set);
    } else {
      const className = modelClassOf(r.group, r.version, r.kind);
      // Kinds client-node has no model for (metrics.k8s.io, served by
      // metrics-server) are left out, paths and all.
      if (className) name = set.addKind(className, r);
    }
    if (name) allPaths = { ...allPaths, ...paths(r, name) };
  }
  if (Object.keys(allPaths).length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths: allPaths,
    components: { schemas: set.schemas },
  };
}

type BuiltDocument = {
  doc: NonNullable<ReturnType<typeof buildDocument>>;
  body: string;
  hash: string;
};
const documents = new Map<string, BuiltDocument | null>();

/** One group version's document, serialized once, with its hash. */
export function openApiV3Document(key: string): BuiltDocument | undefined {
  if (!documents.has(key)) {
    const doc = buildDocument(key);
    const body = doc ? JSON.stringify(doc) : '';
    documents.set(
      key,
      doc
        ? {
            doc,
            body,
            hash: createHash('sha512').update(body).digest('hex').toUpperCase(),
          }
        : null,
    );
  }
  return documents.get(key) ?? undefined;
}

/**
 * A kind's schema as its document publishes it, and the document's
 * schemas to resolve its references in; undefined for kinds without one.
 */
export function kindSchema(r: ResourceType) {
  const built = openApiV3Document(gvPath(r));
  const schemas: Record<string, OpenApiSchema> =
    built?.doc.components.schemas ?? {};
  const schema = Object.values(schemas).find(s =>
    s['x-kubernetes-group-version-kind']?.some(
      (g: { group: string; kind: string }) =>
        g.group === r.group && g.kind === r.kind,
    ),
  );
  return schema && { schema, schemas };
}

/** Every group version's document (metrics.k8s.io has none). */
export function allOpenApiV3Documents() {
  return [...new Set(RESOURCES.map(gvPath))].flatMap(key => {
    const doc = openApiV3Document(key);
    return doc ? [{ key, ...doc }] : [];
  });
}

/** `/openapi/v3`: where each group version's document is. */
export function openApiV3Root() {
  const keys = [...new Set(RESOURCES.map(gvPath))];
  return {
    paths: Object.fromEntries(
      keys.flatMap(key => {
        const doc = openApiV3Document(key);
        return doc
          ? [
              [
                key,
                { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` },
              ],
            ]
          : [];
      }),
    ),
  };
}
