import type { ServerResponse } from 'node:http';
import type { SimRequest } from '../../http/Router';
import type { ClusterModel, KubeObject } from '../cluster/ClusterModel';
import { selectObjects } from './lists';
import { apiVersionOf, ResourceType } from './resources';
import { statusBody } from './status';
import { TableRequest, toTable } from './table';

/** How far back a watch may start: etcd's compaction window (5 minutes). */
const WINDOW_MS = 5 * 60_000;
/** kube-apiserver's --min-request-timeout default; watches end by then. */
const DEFAULT_TIMEOUT_S = 1800;
const BOOKMARK_EVERY_MS = 60_000;
const TICK_MS = 1000;

type Event = { type: string; object: KubeObject };

const idOf = (o: KubeObject) =>
  (o.metadata.uid as string | undefined) ??
  `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * `?watch=true` on a collection: a stream of JSON watch events, one per
 * line, as kube-apiserver's watch cache serves it. Without a
 * resourceVersion (or with 0, or `sendInitialEvents=true`) the current
 * objects come first as ADDED; from a list's resourceVersion only what
 * changed since; from one older than the compaction window an ERROR event
 * with a 410 Expired Status. Changes are ADDED, MODIFIED or DELETED (also
 * when an object stops matching the selectors); `allowWatchBookmarks`
 * adds BOOKMARK events; the stream ends after `timeoutSeconds`.
 */
export function serveWatch(
  req: SimRequest,
  res: ServerResponse,
  model: ClusterModel,
  resource: ResourceType,
  key: string,
  namespace: string | undefined,
  table: TableRequest | undefined,
  now: () => number,
) {
  const query = req.query;
  const timeoutText = query.get('timeoutSeconds');
  const timeoutSeconds =
    timeoutText && /^\d+$/.test(timeoutText)
      ? Number(timeoutText)
      : DEFAULT_TIMEOUT_S;
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const rvText = query.get('resourceVersion') ?? '';

  const select = (objects: KubeObject[]) =>
    new Map(
      selectObjects(key, objects, namespace, query).map(o => [idOf(o), o]),
    );
  const typed = (o: KubeObject): KubeObject => ({
    ...o,
    apiVersion: apiVersionOf(resource),
    kind: resource.kind,
  });

  res.writeHead(200, {
    'content-type': table
      ? `application/json;as=Table;v=${table.version};g=meta.k8s.io`
      : 'application/json',
    'cache-control': 'no-cache, private',
    'transfer-encoding': 'chunked',
  });
  // A watch that starts quiet must still answer at once: clients wait for
  // the headers before they act on anything.
  res.flushHeaders();
  let headersSent = false;
  const write = (event: Event) => {
    let object: unknown = event.object;
    if (table && event.type !== 'BOOKMARK' && event.type !== 'ERROR') {
      object = toTable(
        resource,
        key,
        [event.object],
        { resourceVersion: event.object.metadata.resourceVersion },
        table,
        now(),
        { noHeaders: headersSent },
      );
      headersSent = true;
    }
    res.write(`${JSON.stringify({ type: event.type, object })}\n`);
  };

  let last: Map<string, KubeObject>;
  const current = model.snapshot();
  if (!rvText || rvText === '0' || sendInitial) {
    last = new Map();
  } else {
    const rv = Number(rvText);
    const oldest = Number(model.resourceVersionAt(now() - WINDOW_MS));
    if (!Number.isInteger(rv) || rv < oldest) {
      write({
        type: 'ERROR',
        object: statusBody(
          410,
          Number.isInteger(rv)
            ? `too old resource version: ${rv} (${current.resourceVersion})`
            : `resourceVersion: Invalid value: "${rvText}": must be an integer`,
          'Expired',
        ) as unknown as KubeObject,
      });
      res.end();
      return;
    }
    last =
      rv >= Number(current.resourceVersion)
        ? select(current.objects.get(key) ?? [])
        : select(model.snapshotAt(rv).objects.get(key) ?? []);
  }

  const bookmark = (rv: string, initialEventsEnd = false) =>
    write({
      type: 'BOOKMARK',
      object: {
        kind: resource.kind,
        apiVersion: apiVersionOf(resource),
        metadata: {
          name: '',
          resourceVersion: rv,
          ...(initialEventsEnd && {
            annotations: { 'k8s.io/initial-events-end': 'true' },
          }),
        },
      },
    });

  const step = () => {
    const snapshot = model.snapshot();
    const next = select(snapshot.objects.get(key) ?? []);
    const events: Event[] = [];
    for (const [id, o] of next) {
      const before = last.get(id);
      if (!before) events.push({ type: 'ADDED', object: typed(o) });
      else if (before.metadata.resourceVersion !== o.metadata.resourceVersion)
        events.push({ type: 'MODIFIED', object: typed(o) });
    }
    for (const [id, o] of last) {
      if (!next.has(id)) {
        events.push({
          type: 'DELETED',
          object: typed({
            ...o,
            metadata: {
              ...o.metadata,
              resourceVersion: snapshot.resourceVersion,
            },
          }),
        });
      }
    }
    events.sort(
      (a, b) =>
        Number(a.object.metadata.resourceVersion) -
        Number(b.object.metadata.resourceVersion),
    );
    for (const e of events) write(e);
    last = next;
    return snapshot.resourceVersion;
  };

  const initialRv = step();
  if (sendInitial && bookmarks) bookmark(initialRv, true);

  const timers = [setInterval(step, TICK_MS)];
  if (bookmarks) {
    timers.push(
      setInterval(
        () => bookmark(model.snapshot().resourceVersion),
        BOOKMARK_EVERY_MS,
      ),
    );
  }
  const stopListening = model.created.onChange(() => setImmediate(step));
  const finish = () => {
    timers.forEach(clearTimeout);
    stopListening();
  };
  timers.push(
    setTimeout(() => {
      // Like the watch cache, a last bookmark lets the client resume exactly.
      if (bookmarks) bookmark(step());
      finish();
      res.end();
    }, timeoutSeconds * 1000),
  );
  res.on('close', finish);
}
