import type { KubeObject } from '../cluster/ClusterModel';
import { printerColumnsOf } from './crdRegistry';
import {
  Column,
  DEFAULT_PRINTER,
  NAME_COLUMN,
  PRINTERS,
  since,
} from './printers';
import { apiVersionOf, ResourceType } from './resources';
import { KubeError } from './status';

/**
 * Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
 * (what kubectl get sends) answers a meta.k8s.io Table with the columns of
 * the kind's printer, or of a CRD's additionalPrinterColumns.
 */
export type TableRequest = {
  version: 'v1' | 'v1beta1';
  includeObject: 'None' | 'Metadata' | 'Object';
};

/** The Table version the Accept header asks for, in its order of preference. */
export function tableRequest(
  accept: string | undefined,
  query: URLSearchParams,
): TableRequest | undefined {
  if (!accept?.includes('as=Table')) return undefined;
  let plainJsonAccepted = false;
  for (const range of accept.split(',')) {
    const [type, ...rawParams] = range.split(';').map(s => s.trim());
    const params = Object.fromEntries(
      rawParams.map(p => p.split('=').map(s => s.trim())),
    );
    if (!params.as) {
      if (/^(application\/json|\*\/\*|application\/\*)$/.test(type))
        plainJsonAccepted = true;
      continue;
    }
    if (
      params.as === 'Table' &&
      params.g === 'meta.k8s.io' &&
      (params.v === 'v1' || params.v === 'v1beta1') &&
      type === 'application/json'
    ) {
      const includeObject = query.get('includeObject') ?? 'Metadata';
      if (!['None', 'Metadata', 'Object'].includes(includeObject)) {
        throw new KubeError(
          400,
          `includeObject: Unsupported value: "${includeObject}": supported values: "Metadata", "None", "Object"`,
          'BadRequest',
        );
      }
      return {
        version: params.v,
        includeObject: includeObject as TableRequest['includeObject'],
      };
    }
  }
  if (plainJsonAccepted) return undefined;
  throw new KubeError(
    406,
    `only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io`,
    'NotAcceptable',
  );
}

/** The small JSONPath subset CRD printer columns use (`.a.b`, `.a[0].b`). */
function evaluate(path: string, object: unknown): unknown {
  let value: any = object;
  for (const part of path.replace(/^\./, '').split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || value === undefined || value === null) return undefined;
    if (m[1]) value = value[m[1]];
    for (const index of m[2].match(/\d+/g) ?? [])
      value = value?.[Number(index)];
  }
  return value;
}

function crdPrinter(resource: ResourceType) {
  const columns = printerColumnsOf(resource.crd!.version);
  return {
    columns: [
      NAME_COLUMN,
      ...columns.map(
        (c): Column => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description ?? '',
          priority: c.priority ?? 0,
        }),
      ),
    ],
    cells: (o: KubeObject, now: number) => [
      o.metadata.name,
      ...columns.map(c => {
        const value = evaluate(c.jsonPath, o);
        if (value === undefined || value === null) return null;
        if (c.type === 'date') return since(value, now);
        return typeof value === 'object' ? JSON.stringify(value) : value;
      }),
    ],
  };
}

export function printerFor(resource: ResourceType, key: string) {
  if (resource.crd) return crdPrinter(resource);
  return PRINTERS[key] ?? DEFAULT_PRINTER;
}

/** One row's `object`, as much of it as `includeObject` asks for. */
function rowObject(
  o: KubeObject,
  resource: ResourceType,
  request: TableRequest,
) {
  if (request.includeObject === 'None') return {};
  if (request.includeObject === 'Object') {
    return {
      object: { ...o, apiVersion: apiVersionOf(resource), kind: resource.kind },
    };
  }
  return {
    object: {
      kind: 'PartialObjectMetadata',
      apiVersion: `meta.k8s.io/${request.version}`,
      metadata: o.metadata,
    },
  };
}

export function toTable(
  resource: ResourceType,
  key: string,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  request: TableRequest,
  now: number,
  options: { noHeaders?: boolean } = {},
) {
  const printer = printerFor(resource, key);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${request.version}`,
    metadata: listMeta,
    ...(!options.noHeaders && { columnDefinitions: printer.columns }),
    rows: objects.map(o => ({
      cells: printer.cells(o, now),
      ...rowObject(o, resource, request),
    })),
  };
}
