import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { KubeObject } from '../cluster/ClusterModel';
import { iso } from '../cluster/identity';
import type { ClusterModel } from '../cluster/ClusterModel';
import type { ResourceRequest } from './requestPath';
import { apiVersionOf, ResourceType, resourceKey } from './resources';
import { KubeError } from './status';
import { randomUUID } from 'node:crypto';

/** Kinds a household creates by hand besides custom resources. */
const CREATABLE_BUILT_INS = new Set(['secrets', 'configmaps']);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();

function qualified(r: ResourceType) {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** ajv's errors in the API server's field-error wording. */
function fieldErrors(errors: ErrorObject[]) {
  return errors
    .map(e => {
      const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      if (e.keyword === 'required') {
        const field = [at, e.params.missingProperty].filter(Boolean).join('.');
        return `${field}: Required value`;
      }
      return `${at || '<root>'}: Invalid value: ${e.message}`;
    })
    .join(', ');
}

function validateCustomResource(r: ResourceType, object: KubeObject) {
  const name = object.metadata.name;
  const schema = r.crd?.version.schema?.openAPIV3Schema;
  if (!schema) return;
  const id = `${qualified(r)}/${r.version}`;
  let validate = validators.get(id);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(id, validate);
  }
  if (!validate(object)) {
    throw new KubeError(
      422,
      `${r.kind}.${r.group} "${name}" is invalid: ${fieldErrors(
        validate.errors ?? [],
      )}`,
      'Invalid',
      { name, group: r.group, kind: r.kind },
    );
  }
}

/**
 * `POST` of a new object (`kubectl create`, `kubectl apply` of a new one):
 * custom resources, Secrets and ConfigMaps; the scenario derives every other
 * kind, and the sim says so.
 */
export function createObject(
  model: ClusterModel,
  r: ResourceRequest,
  resource: ResourceType,
  body: unknown,
  dryRun: boolean,
): KubeObject {
  const key = resourceKey(resource);
  if (!resource.crd && !CREATABLE_BUILT_INS.has(key)) {
    throw new KubeError(
      405,
      `the demo homelab derives ${qualified(
        resource,
      )} from its scenario; it creates only custom resources, Secrets and ConfigMaps`,
      'MethodNotAllowed',
    );
  }
  const object = body as KubeObject;
  if (!object || typeof object !== 'object' || !object.metadata) {
    throw new KubeError(
      400,
      'the body is not a Kubernetes object',
      'BadRequest',
    );
  }
  const expected = apiVersionOf(resource);
  if (object.kind !== resource.kind || object.apiVersion !== expected) {
    throw new KubeError(
      400,
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected}) or kind (${object.kind} is not ${resource.kind})`,
      'BadRequest',
    );
  }
  if (
    object.metadata.namespace !== undefined &&
    object.metadata.namespace !== r.namespace
  ) {
    throw new KubeError(
      400,
      'the namespace of the provided object does not match the namespace sent on the request',
      'BadRequest',
    );
  }
  const generateName = object.metadata.generateName as string | undefined;
  const name =
    object.metadata.name ??
    (generateName ? `${generateName}${randomUUID().slice(0, 5)}` : '');
  if (!name) {
    throw new KubeError(
      422,
      `${resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      'Invalid',
    );
  }
  const taken = model
    .snapshot()
    .objects.get(key)
    ?.some(
      o => o.metadata.name === name && o.metadata.namespace === r.namespace,
    );
  if (taken) {
    throw new KubeError(
      409,
      `${qualified(resource)} "${name}" already exists`,
      'AlreadyExists',
      {
        name,
        ...(resource.group && { group: resource.group }),
        kind: resource.plural,
      },
    );
  }
  const stored: KubeObject = {
    ...object,
    metadata: {
      ...object.metadata,
      name,
      ...(r.namespace && { namespace: r.namespace }),
      uid: randomUUID(),
      creationTimestamp: iso(Date.now()),
      ...(resource.crd && { generation: 1 }),
    },
  };
  delete stored.status;
  validateCustomResource(resource, stored);
  if (dryRun)
    return {
      ...stored,
      metadata: { ...stored.metadata, resourceVersion: undefined },
    };
  const rv = model.nextResourceVersion();
  stored.metadata.resourceVersion = String(rv);
  model.created.add(key, stored, rv);
  return stored;
}

/** `DELETE` of an object written through the API; derived ones stay. */
export function deleteObject(
  model: ClusterModel,
  r: ResourceRequest,
  resource: ResourceType,
): KubeObject {
  const key = resourceKey(resource);
  const entry = model.created.find(key, r.namespace, r.name!);
  if (!entry) {
    const exists = model
      .snapshot()
      .objects.get(key)
      ?.some(
        o => o.metadata.name === r.name && o.metadata.namespace === r.namespace,
      );
    if (!exists) {
      throw new KubeError(
        404,
        `${qualified(resource)} "${r.name}" not found`,
        'NotFound',
        {
          name: r.name,
          ...(resource.group && { group: resource.group }),
          kind: resource.plural,
        },
      );
    }
    throw new KubeError(
      405,
      `the demo homelab derives ${qualified(resource)} "${
        r.name
      }" from its scenario and cannot delete it`,
      'MethodNotAllowed',
    );
  }
  model.created.remove(entry, model.nextResourceVersion());
  return entry.object;
}
