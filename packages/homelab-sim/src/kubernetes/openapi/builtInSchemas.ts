import fs from 'node:fs';
import path from 'node:path';

/**
 * OpenAPI schemas of the built-in kinds, read from the models of
 * `@kubernetes/client-node`, which are generated from the Kubernetes
 * OpenAPI spec (v1.34): each model's `attributeTypeMap` gives the fields,
 * types and formats; its declaration file the descriptions and which
 * fields are required. Schema names are the spec's definition names
 * (`io.k8s.api.core.v1.Pod`), as the API server publishes them.
 */
export type OpenApiSchema = Record<string, any>;

const modelsDir = path.join(
  path.dirname(require.resolve('@kubernetes/client-node/package.json')),
  'dist/gen/models',
);

/** apimachinery's meta/v1 types: the same definitions in every group. */
const META = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'OwnerReference',
  'ManagedFieldsEntry',
  'Condition',
]);

/** `V1Pod` → version v1, name Pod; `CoreV1Event` → group core too. */
function splitClassName(className: string) {
  const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(
    className,
  );
  if (!m) return undefined;
  return {
    groupPrefix: m[1]?.toLowerCase(),
    version: m[2].toLowerCase(),
    name: m[3],
  };
}

/** The spec's package segment for an API group: `apps`, `networking`. */
export function packageOf(group: string) {
  if (group === '') return 'io.k8s.api.core';
  if (group === 'apiextensions.k8s.io')
    return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  return `io.k8s.api.${group.split('.')[0]}`;
}

function definitionName(className: string, group: string) {
  const parts = splitClassName(className)!;
  if (META.has(parts.name) && parts.version === 'v1')
    return `io.k8s.apimachinery.pkg.apis.meta.v1.${parts.name}`;
  const pkg = parts.groupPrefix
    ? packageOf(parts.groupPrefix === 'core' ? '' : parts.groupPrefix)
    : packageOf(group);
  return `${pkg}.${parts.version}.${parts.name}`;
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

type Attribute = {
  name: string;
  baseName: string;
  type: string;
  format: string;
};

function readModel(className: string) {
  const file = path.join(modelsDir, `${className}.js`);
  if (!fs.existsSync(file)) return undefined;
  const js = fs.readFileSync(file, 'utf8');
  const map = /\.attributeTypeMap = (\[[\s\S]*?\]);/.exec(js);
  const attributes: Attribute[] = map ? JSON.parse(map[1]) : [];
  const dts = fs.readFileSync(
    path.join(modelsDir, `${className}.d.ts`),
    'utf8',
  );
  const unescape = (s: string) => s.replace(/\\(['"])/g, '$1').trim();
  const description = /\/\*\*\n\* ([^\n]*)\n\*\/\nexport declare class/.exec(
    dts,
  );
  const fieldDocs = new Map<string, string>();
  for (const m of dts.matchAll(
    /\/\*\*\n\s*\* ([^\n]*)\n\s*\*\/\n\s*'([^']+)'\??:/g,
  ))
    fieldDocs.set(m[2], unescape(m[1]));
  const required = [...dts.matchAll(/^\s*'([^']+)':/gm)].map(m => m[1]);
  return {
    attributes,
    description: description ? unescape(description[1]) : undefined,
    fieldDocs,
    required,
  };
}

/**
 * A set of schemas for one OpenAPI document: the kinds added and every
 * type they reference, keyed by definition name. A referenced type lives in
 * the API group of the first kind that reaches it.
 */
/**
 * Model classes carry no API group, and core/v1 types (Container,
 * PodTemplateSpec, Volume) appear inside other groups' kinds: every type
 * reachable from a core/v1 kind is core's, the rest belong to the group
 * of the kind that reaches them.
 */
const CORE_KINDS = [
  'V1Pod',
  'V1PodTemplate',
  'V1ReplicationController',
  'V1Service',
  'V1Endpoints',
  'V1ConfigMap',
  'V1Secret',
  'V1ServiceAccount',
  'V1Node',
  'V1Namespace',
  'V1PersistentVolume',
  'V1PersistentVolumeClaim',
  'V1LimitRange',
  'V1ResourceQuota',
  'CoreV1Event',
];
let coreTypes: Set<string> | undefined;

function isCoreType(className: string) {
  if (!coreTypes) {
    const found = new Set<string>();
    const visit = (c: string) => {
      if (found.has(c)) return;
      const model = readModel(c);
      if (!model) return;
      found.add(c);
      for (const a of model.attributes)
        for (const t of a.type.match(/\b(?:[A-Z][a-z]+)?V\d\w*/g) ?? [])
          visit(t);
    };
    CORE_KINDS.forEach(visit);
    coreTypes = found;
  }
  return coreTypes.has(className);
}

export class SchemaSet {
  readonly schemas: Record<string, OpenApiSchema> = {};
  private readonly names = new Map<string, string>();

  /** Adds a kind's schema, marked with its group, version and kind. */
  addKind(
    className: string,
    gvk: { group: string; version: string; kind: string },
  ) {
    const name = this.ref(className, gvk.group);
    this.schemas[name]['x-kubernetes-group-version-kind'] = [
      { group: gvk.group, kind: gvk.kind, version: gvk.version },
    ];
    return name;
  }

  /** The definition name of a model, its schema (and its types') added. */
  ref(className: string, group: string): string {
    const known = this.names.get(className);
    if (known) return known;
    const name = definitionName(className, isCoreType(className) ? '' : group);
    this.names.set(className, name);
    const model = readModel(className);
    if (!model) throw new Error(`no client-node model ${className}`);
    const properties: Record<string, OpenApiSchema> = {};
    for (const a of model.attributes) {
      const schema = this.typeSchema(a.type, a.format, group);
      const description = model.fieldDocs.get(a.name);
      properties[a.baseName] =
        description && schema.$ref
          ? { description, allOf: [schema] }
          : { ...(description && { description }), ...schema };
    }
    const required = model.attributes
      .filter(a => model.required.includes(a.name))
      .map(a => a.baseName);
    this.schemas[name] = {
      ...(model.description && { description: model.description }),
      type: 'object',
      properties,
      ...(required.length > 0 && { required }),
    };
    return name;
  }

  private typeSchema(
    type: string,
    format: string,
    group: string,
  ): OpenApiSchema {
    const array = /^Array<(.+)>$/.exec(type);
    if (array)
      return { type: 'array', items: this.typeSchema(array[1], format, group) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map)
      return {
        type: 'object',
        additionalProperties: this.typeSchema(map[1], format, group),
      };
    if (type === 'string') return { type: 'string', ...(format && { format }) };
    if (type === 'number')
      return {
        type: format === 'double' ? 'number' : 'integer',
        ...(format && { format }),
      };
    if (type === 'boolean') return { type: 'boolean' };
    // MicroTime is a type of client-node's own, without a model file.
    if (type === 'Date' || type === 'V1MicroTime')
      return { type: 'string', format: 'date-time' };
    if (type === 'IntOrString') {
      this.schemas[INT_OR_STRING] = { type: 'string', format: 'int-or-string' };
      return { $ref: `#/components/schemas/${INT_OR_STRING}` };
    }
    if (type === 'any' || type === 'object')
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return { $ref: `#/components/schemas/${this.ref(type, group)}` };
  }
}

/** The client-node model of a built-in kind, if it has one. */
export function modelClassOf(group: string, version: string, kind: string) {
  const v = version[0].toUpperCase() + version.slice(1);
  const prefix =
    group === ''
      ? 'Core'
      : group.split('.')[0][0].toUpperCase() + group.split('.')[0].slice(1);
  return [`${prefix}${v}${kind}`, `${v}${kind}`].find(c =>
    fs.existsSync(path.join(modelsDir, `${c}.js`)),
  );
}
