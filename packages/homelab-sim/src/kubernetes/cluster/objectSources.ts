import type { KubeObject } from './ClusterModel';
import { customResourceDefinitions } from './crdObjects';
import { endpointsOf } from './endpoints';
import { ingressClasses } from './ingressClasses';
import { leases } from './leases';
import { serviceAccounts } from './serviceAccounts';
import { storage } from './storage';
import type { Topology } from './topology';

/**
 * What an object source sees: the cluster's fixed plan, the moment, and the
 * objects built so far (a source that derives from others, like Endpoints
 * from Services and Pods, runs after them).
 */
export type SourceContext = {
  t: Topology;
  now: number;
  objects: ReadonlyMap<string, KubeObject[]>;
};

/**
 * Builds objects of any served kind; each object's `apiVersion` and `kind`
 * say where it is listed. A new kind is a CRD file in `../crds/` (or a
 * built-in in `api/resources.ts`) plus a source added here.
 */
export type ObjectSource = (c: SourceContext) => KubeObject[];

export const OBJECT_SOURCES: ObjectSource[] = [
  serviceAccounts,
  storage,
  leases,
  ingressClasses,
  customResourceDefinitions,
  // Derived from the Services and Pods above.
  endpointsOf,
];
