import { iso } from './identity';
import { resourceVersion } from './pods';
import type { Topology } from './topology';

/** ObjectMeta of an object created once at `createdAt` and not changed since. */
export function staticMeta(
  t: Topology,
  kind: string,
  name: string,
  namespace: string | undefined,
  createdAt: number,
) {
  const key = `${kind}:${namespace ?? ''}/${name}`;
  return {
    name,
    ...(namespace && { namespace }),
    uid: t.id.uid(key),
    resourceVersion: resourceVersion(t, createdAt, t.id.unit(`rv:${key}`)),
    creationTimestamp: iso(createdAt),
  };
}
