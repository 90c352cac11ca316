import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { CardFrame } from '@homelab-portal/plugin-gitops';
import { proxmoxApiRef } from '@homelab-portal/plugin-proxmox';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';

const DAY = 86_400;

/** Guests whose last backup is older than the instance's warning age, or that have none. */
export function BackupsCard() {
  const api = useApi(proxmoxApiRef);
  const state = useAsync(async () => {
    const instances = await api.listInstances();
    const now = Date.now() / 1000;
    const late = [];
    let fetchedAt: string | undefined;
    for (const instance of instances) {
      const { guests, state: data } = await api.getGuests(instance.id);
      fetchedAt = data.fetchedAt;
      for (const g of guests.filter(x => !x.template)) {
        const days = g.lastBackupAt ? (now - g.lastBackupAt) / DAY : undefined;
        if (
          days === undefined ||
          days > instance.backupWarningDays ||
          g.notBackedUp
        )
          late.push({ g, days, limit: instance.backupWarningDays });
      }
    }
    return { late, fetchedAt, guests: instances.length };
  }, [api]);
  return (
    <CardFrame
      what="Backups"
      loading={state.loading}
      error={state.error}
      checkedAt={state.value?.fetchedAt}
      detail={{ title: 'Proxmox', url: '/proxmox' }}
    >
      <Typography variant="h6">
        {state.value?.late.length
          ? `${state.value.late.length} guests not backed up recently`
          : 'Every guest has a recent backup'}
      </Typography>
      <List dense>
        {(state.value?.late ?? []).map(({ g, days, limit }) => (
          <ListItem key={g.entityRef}>
            <ListItemText
              primary={
                <EntityRefLink
                  entityRef={g.entityRef}
                  title={`${g.name} (${g.vmid})`}
                />
              }
              secondary={
                days === undefined
                  ? 'Never backed up'
                  : `Last backup ${Math.floor(days)} days ago (limit ${limit})`
              }
            />
          </ListItem>
        ))}
      </List>
    </CardFrame>
  );
}
