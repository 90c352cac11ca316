import { useApi } from '@backstage/frontend-plugin-api';
import { CardFrame } from '@homelab-portal/plugin-gitops';
import { talosApiRef } from '@homelab-portal/plugin-talos';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';

/** Talos and Kubernetes releases newer than what each cluster runs. */
export function UpgradesCard() {
  const api = useApi(talosApiRef);
  const state = useAsync(async () => {
    const clusters = await Promise.all(
      (await api.listClusters()).map(c => api.getCluster(c.name)),
    );
    return clusters;
  }, [api]);
  const lines = (state.value ?? []).flatMap(c => {
    const u = c.upgrades;
    const out: { key: string; primary: string; secondary: string }[] = [];
    if (u.talos.latest && !u.talos.running.includes(u.talos.latest))
      out.push({
        key: `${c.name}-talos`,
        primary: `${c.title}: Talos ${u.talos.running.join(', ')} → ${
          u.talos.latest
        }`,
        secondary: u.talos.path.length
          ? `Via ${u.talos.path.join(' → ')}`
          : u.talos.notes.join(' '),
      });
    const k8s = u.kubernetes.latestSupported;
    if (k8s && !u.kubernetes.running.includes(k8s))
      out.push({
        key: `${c.name}-k8s`,
        primary: `${c.title}: Kubernetes ${u.kubernetes.running.join(
          ', ',
        )} → ${k8s}`,
        secondary: u.kubernetes.notes.join(' '),
      });
    return out;
  });
  return (
    <CardFrame
      what="Upgrades"
      loading={state.loading}
      error={state.error}
      checkedAt={state.value?.[0]?.fetchedAt}
      detail={{ title: 'Talos cluster', url: '/talos' }}
    >
      <Typography variant="h6">
        {lines.length
          ? `${lines.length} upgrades available`
          : 'Everything is on its newest release'}
      </Typography>
      <List dense>
        {lines.map(l => (
          <ListItem key={l.key}>
            <ListItemText primary={l.primary} secondary={l.secondary} />
          </ListItem>
        ))}
      </List>
    </CardFrame>
  );
}
