import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Chip,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { gitopsApiRef } from '../../api/GitopsApi';
import { usePolling } from '../../lib/usePolling';
import { DRIFT_TITLES } from '../DriftPage';
import { CardFrame } from './CardFrame';
import { useDetailLinks } from './links';

/** Apps up or down: each app's workload and route, worst first. @public */
export function AppsStatusCard() {
  const api = useApi(gitopsApiRef);
  const links = useDetailLinks();
  const s = usePolling(() => api.getDeliveries(), 15_000);
  const byApp = new Map<
    string,
    { ref?: string; down?: string; delivery?: string }
  >();
  for (const d of s.value?.apps ?? []) {
    const e = byApp.get(d.app) ?? { ref: d.entityRef };
    for (const step of d.steps.filter(
      x => x.id === 'workload' || x.id === 'route',
    ))
      if (step.state === 'failed' || step.state === 'pending')
        e.down ??= step.message;
    if (d.state === 'failed')
      e.delivery ??= d.steps.find(x => x.id === d.failingStep)?.message;
    byApp.set(d.app, e);
  }
  const apps = [...byApp.entries()].sort(
    ([a, x], [b, y]) =>
      Number(!!y.down) - Number(!!x.down) || a.localeCompare(b),
  );
  const up = apps.filter(([, a]) => !a.down).length;
  return (
    <CardFrame
      what="Apps"
      loading={s.loading}
      error={s.error}
      checkedAt={s.value?.checkedAt}
      errors={s.value?.errors}
      detail={{ title: 'Delivery of every app', url: links.delivery }}
    >
      <Typography variant="h6">
        {up} of {apps.length} apps up
      </Typography>
      <List dense>
        {apps
          .filter(([, a]) => a.down || a.delivery)
          .map(([name, a]) => (
            <ListItem key={name}>
              <ListItemText
                primary={
                  a.ref ? (
                    <EntityRefLink entityRef={a.ref} title={name} />
                  ) : (
                    name
                  )
                }
                secondary={
                  a.down
                    ? `Down: ${a.down}`
                    : `Up, but its last change failed: ${a.delivery}`
                }
              />
            </ListItem>
          ))}
      </List>
    </CardFrame>
  );
}

/** Certificates that expire within 21 days or are not Ready. @public */
export function CertificatesCard() {
  const api = useApi(gitopsApiRef);
  const links = useDetailLinks();
  const s = usePolling(() => api.getCertificates(), 60_000);
  const worrying = (s.value?.certificates ?? [])
    .filter(c => c.level !== 'ok')
    .sort((a, b) => (a.daysLeft ?? -1) - (b.daysLeft ?? -1));
  return (
    <CardFrame
      what="Certificates"
      loading={s.loading}
      error={s.error}
      checkedAt={s.value?.checkedAt}
      errors={s.value?.errors}
      detail={{ title: 'All certificates', url: links.delivery }}
    >
      <Typography variant="h6">
        {worrying.length
          ? `${worrying.length} of ${s.value?.certificates.length} need attention`
          : `All ${s.value?.certificates.length ?? 0} certificates are fine`}
      </Typography>
      <List dense>
        {worrying.map(c => (
          <ListItem key={`${c.namespace}/${c.name}`}>
            <ListItemText
              primary={
                <>
                  {c.name}{' '}
                  <Chip
                    size="small"
                    data-level={c.level}
                    color={c.level === 'error' ? 'secondary' : 'default'}
                    label={
                      c.daysLeft === undefined
                        ? 'not issued'
                        : `${Math.floor(c.daysLeft)} days`
                    }
                  />
                </>
              }
              secondary={
                c.failure ??
                (c.ready ? c.hostnames.join(', ') : `${c.reason}: ${c.message}`)
              }
            />
          </ListItem>
        ))}
      </List>
    </CardFrame>
  );
}

/** Pending Renovate updates, and every pull request awaiting merge. @public */
export function UpdatesCard() {
  const api = useApi(gitopsApiRef);
  const links = useDetailLinks();
  const s = usePolling(() => api.getUpdates(), 30_000);
  return (
    <CardFrame
      what="Updates"
      loading={s.loading}
      error={s.error}
      checkedAt={s.value?.checkedAt}
      errors={s.value?.errors}
      detail={{ title: 'All pull requests', url: links.delivery }}
    >
      <Typography variant="h6">
        {s.value?.updates.length ?? 0} updates pending,{' '}
        {s.value?.pulls.length ?? 0} pull requests awaiting merge
      </Typography>
      <List dense>
        {(s.value?.updates ?? []).map(u => (
          <ListItem key={u.url}>
            <ListItemText
              primary={
                <Link to={u.url}>
                  {u.apps.join(', ') || u.depName}: {u.from ?? '?'} → {u.to}
                </Link>
              }
              secondary={`${u.updateType} · ${u.repository}#${u.number}`}
            />
          </ListItem>
        ))}
      </List>
    </CardFrame>
  );
}

/** How far the catalog is from reality, by kind. @public */
export function DriftCard() {
  const api = useApi(gitopsApiRef);
  const links = useDetailLinks();
  const s = usePolling(() => api.getDrift(), 60_000);
  const counts = new Map<string, number>();
  for (const i of s.value?.items ?? [])
    counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return (
    <CardFrame
      what="Drift"
      loading={s.loading}
      error={s.error}
      checkedAt={s.value?.checkedAt}
      errors={s.value?.errors}
      detail={{ title: 'Drift report', url: links.drift }}
    >
      <Typography variant="h6" data-testid="drift-count">
        {s.value?.items.length ?? 0} drift item
        {s.value?.items.length === 1 ? '' : 's'}
      </Typography>
      <List dense>
        {[...counts.entries()].map(([kind, n]) => (
          <ListItem key={kind}>
            <ListItemText
              primary={`${n} × ${
                DRIFT_TITLES[kind as keyof typeof DRIFT_TITLES]
              }`}
            />
          </ListItem>
        ))}
      </List>
    </CardFrame>
  );
}
