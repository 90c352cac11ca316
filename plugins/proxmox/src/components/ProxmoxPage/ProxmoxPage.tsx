import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ProxmoxInstanceInfo,
  ProxmoxTimeframe,
} from '@homelab-portal/plugin-proxmox-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import Link from '@material-ui/core/Link';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { usePolled } from '@homelab-portal/homelab-react';
import { proxmoxTranslationRef } from '../../translation';
import { DataStateBanner } from '../DataStateBanner';
import { GuestTable } from '../GuestTable';
import { StorageTable } from '../StorageTable';
import { TasksTable } from '../TasksTable';
import { NodePanel } from './NodePanel';
import { TimeframeSelect } from '../TimeframeSelect';

function Count(props: { label: string; value: string }) {
  return (
    <InfoCard>
      <Typography variant="h4" component="div">
        {props.value}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.label}
      </Typography>
    </InfoCard>
  );
}

function InstanceView(props: { instance: ProxmoxInstanceInfo }) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const id = props.instance.id;
  const [timeframe, setTimeframe] = useState<ProxmoxTimeframe>('hour');
  const overview = usePolled(() => api.getOverview(id), 15_000, [api, id]);
  const guests = usePolled(() => api.getGuests(id), 15_000, [api, id]);
  const tasks = usePolled(() => api.getRecentTasks(id), 15_000, [api, id]);

  if (overview.loading && !overview.value) return <Progress />;
  if (!overview.value) {
    return (
      <>
        <DataStateBanner error={overview.error} onRetry={overview.retry} />
        {overview.error && <ResponseErrorPanel error={overview.error} />}
      </>
    );
  }
  const o = overview.value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DataStateBanner
          state={o.state}
          error={overview.error}
          onRetry={overview.retry}
        />
      </Grid>
      <Grid item xs={6} md={3}>
        <Count
          label={t('page.vms')}
          value={`${o.counts.vms.running} / ${o.counts.vms.total}`}
        />
      </Grid>
      <Grid item xs={6} md={3}>
        <Count
          label={t('page.containers')}
          value={`${o.counts.containers.running} / ${o.counts.containers.total}`}
        />
      </Grid>
      <Grid item xs={6} md={3}>
        <Count label={t('page.templates')} value={String(o.counts.templates)} />
      </Grid>
      <Grid item xs={6} md={3}>
        <Count
          label={t('page.nodes')}
          value={`${o.nodes.filter(n => n.status === 'online').length} / ${
            o.nodes.length
          }`}
        />
      </Grid>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="h5">{t('page.nodes')}</Typography>
          <FormControl size="small">
            <TimeframeSelect value={timeframe} onChange={setTimeframe} />
          </FormControl>
        </Box>
      </Grid>
      {o.nodes.map(n => (
        <Grid item xs={12} lg={o.nodes.length > 1 ? 6 : 12} key={n.node}>
          <NodePanel instance={id} node={n} timeframe={timeframe} />
        </Grid>
      ))}
      <Grid item xs={12}>
        {guests.value && (
          <GuestTable
            guests={guests.value.guests}
            warningDays={props.instance.backupWarningDays}
            backupsLoading={guests.value.backupsLoading}
          />
        )}
        {!guests.value && guests.error && (
          <ResponseErrorPanel error={guests.error} />
        )}
        {!guests.value && !guests.error && <Progress />}
      </Grid>
      <Grid item xs={12} md={7}>
        <StorageTable storage={o.storage} />
      </Grid>
      <Grid item xs={12} md={5}>
        {tasks.value ? (
          <TasksTable
            tasks={tasks.value.tasks.slice(0, 15)}
            title={t('page.tasks')}
          />
        ) : (
          <Progress />
        )}
      </Grid>
    </Grid>
  );
}

/** The Proxmox page: every node, guest, storage and recent task of an instance. */
export function ProxmoxPage() {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const [params, setParams] = useSearchParams();
  const instances = useAsync(() => api.listInstances(), [api]);
  const list = instances.value ?? [];
  const selected = list.find(i => i.id === params.get('instance')) ?? list[0];

  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')}>
        {list.length > 1 && (
          <FormControl size="small" style={{ minWidth: 160 }}>
            <InputLabel id="proxmox-instance">{t('page.instance')}</InputLabel>
            <Select
              labelId="proxmox-instance"
              value={selected?.id ?? ''}
              onChange={e => setParams({ instance: String(e.target.value) })}
            >
              {list.map(i => (
                <MenuItem key={i.id} value={i.id}>
                  {i.id}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        {selected && (
          <Link
            href={selected.webUrl}
            target="_blank"
            rel="noopener"
            color="inherit"
          >
            {t('page.openInProxmox')}
          </Link>
        )}
      </Header>
      <Content>
        {instances.loading && <Progress />}
        {instances.error && <ResponseErrorPanel error={instances.error} />}
        {instances.value && list.length === 0 && (
          <EmptyState
            missing="info"
            title={t('page.noInstances')}
            description={t('page.noInstancesHelp')}
          />
        )}
        {selected && <InstanceView key={selected.id} instance={selected} />}
      </Content>
    </Page>
  );
}
