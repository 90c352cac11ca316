import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ProxmoxInstanceInfo,
  ProxmoxPowerActionRecord,
  ProxmoxTimeframe,
} from '@homelab-portal/plugin-proxmox-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { usePolled } from '@homelab-portal/homelab-react';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatPercent,
} from '../../lib/format';
import { proxmoxTranslationRef } from '../../translation';
import { BackupsCard } from '../BackupsCard';
import { DataStateBanner, PartialErrors } from '../DataStateBanner';
import { GuestCharts } from '../GuestCharts';
import { GuestStatus } from '../GuestTable';
import { PowerPanel } from '../PowerPanel';
import { TasksTable } from '../TasksTable';
import { UsageBar } from '../UsageBar';
import { TimeframeSelect } from '../TimeframeSelect';

const actionColumns: TableColumn<ProxmoxPowerActionRecord>[] = [
  {
    title: 'Asked',
    field: 'requestedAt',
    render: r => new Date(r.requestedAt).toLocaleString(),
  },
  { title: 'Action', field: 'action' },
  { title: 'By', field: 'actor' },
  { title: 'Result', field: 'result' },
  { title: 'Message', field: 'message' },
  {
    title: 'Took',
    field: 'finishedAt',
    render: r =>
      r.finishedAt
        ? formatDuration(
            (Date.parse(r.finishedAt) - Date.parse(r.requestedAt)) / 1000,
          ) || '< 1s'
        : '–',
  },
];

/** The Proxmox tab of a VM or container entity. */
export function GuestContent(props: {
  instance: string;
  vmid: number;
  info?: ProxmoxInstanceInfo;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const { instance, vmid } = props;
  const [timeframe, setTimeframe] = useState<ProxmoxTimeframe>('hour');
  const detail = usePolled(() => api.getGuest(instance, vmid), 10_000, [
    api,
    instance,
    vmid,
  ]);
  const rrd = usePolled(
    () => api.getGuestRrd(instance, vmid, timeframe),
    60_000,
    [api, instance, vmid, timeframe],
  );
  const tasks = usePolled(() => api.getGuestTasks(instance, vmid), 10_000, [
    api,
    instance,
    vmid,
  ]);
  const actions = usePolled(() => api.getPowerActions(instance, vmid), 10_000, [
    api,
    instance,
    vmid,
  ]);
  const refreshDetail = detail.retry;
  const refreshTasks = tasks.retry;
  const refreshActions = actions.retry;
  const onChanged = useCallback(() => {
    refreshDetail();
    refreshTasks();
    refreshActions();
  }, [refreshDetail, refreshTasks, refreshActions]);

  if (!detail.value) {
    return detail.loading ? (
      <Progress />
    ) : (
      <DataStateBanner error={detail.error} onRetry={detail.retry} />
    );
  }
  const d = detail.value;
  const g = d.guest;
  const c = d.current;
  const status =
    c?.qmpstatus && c.qmpstatus !== c.status
      ? c.qmpstatus
      : c?.status ?? g.status;

  const config = d.config;
  const configTable: Record<string, string> = {};
  if (config) {
    if (config.cores !== undefined)
      configTable.CPU = `${config.cores} cores${
        config.sockets && config.sockets > 1
          ? ` × ${config.sockets} sockets`
          : ''
      }`;
    if (config.memoryMiB !== undefined)
      configTable.Memory = formatBytes(config.memoryMiB * 1024 * 1024);
    if (config.ostype) configTable['OS type'] = config.ostype;
    if (config.onboot !== undefined)
      configTable['Start at boot'] = config.onboot ? 'yes' : 'no';
    if (config.agent !== undefined)
      configTable['Guest agent'] = config.agent ? 'enabled' : 'off';
    if (config.unprivileged !== undefined)
      configTable.Unprivileged = config.unprivileged ? 'yes' : 'no';
    for (const disk of config.disks) configTable[disk.key] = disk.value;
    for (const net of config.networks) configTable[net.key] = net.value;
    if (config.smbiosUuid) configTable['SMBIOS UUID'] = config.smbiosUuid;
    if (config.description) configTable.Notes = config.description;
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DataStateBanner
          state={d.state}
          error={detail.error}
          onRetry={detail.retry}
        />
        <PartialErrors errors={d.partialErrors} />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title={
            <span>
              {g.name} <GuestStatus status={status} template={g.template} />
            </span>
          }
          subheader={`${g.type === 'qemu' ? 'QEMU VM' : 'LXC container'} ${
            g.vmid
          } on node ${g.node}`}
          deepLink={{ link: d.webUrl, title: t('page.openInProxmox') }}
        >
          <Grid container spacing={2}>
            <Grid item xs={6} md={3}>
              <Typography variant="caption">Uptime</Typography>
              <Typography variant="body1">
                {status === 'stopped'
                  ? '–'
                  : formatDuration(c?.uptime ?? g.uptime)}
              </Typography>
            </Grid>
            <Grid item xs={6} md={3}>
              <Typography variant="caption">CPU</Typography>
              <Typography variant="body1">
                {formatPercent(c?.cpu ?? g.cpu)} of {c?.cpus ?? g.maxcpu}
              </Typography>
            </Grid>
            <Grid item xs={12} md={3}>
              <Typography variant="caption">Memory</Typography>
              <UsageBar used={c?.mem ?? g.mem} total={c?.maxmem ?? g.maxmem} />
            </Grid>
            <Grid item xs={12} md={3}>
              <Typography variant="caption">Disk</Typography>
              {g.type === 'lxc' ? (
                <UsageBar
                  used={c?.disk ?? g.disk}
                  total={c?.maxdisk ?? g.maxdisk}
                />
              ) : (
                <Typography variant="body1">
                  {formatBytes(c?.maxdisk ?? g.maxdisk)}
                </Typography>
              )}
            </Grid>
            <Grid item xs={12}>
              <Typography variant="caption">Addresses</Typography>
              {d.interfaces ? (
                d.interfaces
                  .filter(i => i.addresses.length && i.name !== 'lo')
                  .map(i => (
                    <Typography key={i.name} variant="body2">
                      <b>{i.name}</b> {i.mac ? `(${i.mac}) ` : ''}
                      {i.addresses
                        .map(a => `${a.address}/${a.prefix ?? ''}`)
                        .join(', ')}
                    </Typography>
                  ))
              ) : (
                <Typography variant="body2" color="textSecondary">
                  {d.interfacesUnavailable ?? '–'}
                </Typography>
              )}
            </Grid>
            {(c?.haManaged || c?.lock || g.tags.length > 0) && (
              <Grid item xs={12}>
                <Typography variant="body2" color="textSecondary">
                  {c?.haManaged ? `HA: ${c.haState ?? 'managed'} · ` : ''}
                  {c?.lock ? `locked (${c.lock}) · ` : ''}
                  {g.tags.length ? `tags: ${g.tags.join(', ')}` : ''}
                </Typography>
              </Grid>
            )}
          </Grid>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <PowerPanel
          instance={props.info}
          guest={g}
          status={status}
          onChanged={onChanged}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="History"
          action={
            <Box marginTop={1} marginRight={1}>
              <TimeframeSelect value={timeframe} onChange={setTimeframe} />
            </Box>
          }
        >
          {rrd.value && <GuestCharts rows={rrd.value.rrd} />}
          {!rrd.value && rrd.error && <DataStateBanner error={rrd.error} />}
          {!rrd.value && !rrd.error && <Progress />}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Configuration">
          {config ? (
            <StructuredMetadataTable metadata={configTable} dense />
          ) : (
            <Typography variant="body2">–</Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <BackupsCard instance={instance} vmid={vmid} template={g.template} />
      </Grid>
      <Grid item xs={12} md={6}>
        {tasks.value ? (
          <TasksTable
            tasks={tasks.value.tasks}
            title="Recent tasks"
            emptyText="No task for this guest in the node's task history."
          />
        ) : (
          <Progress />
        )}
      </Grid>
      <Grid item xs={12} md={6}>
        <Table<ProxmoxPowerActionRecord>
          title={t('power.history')}
          columns={actionColumns}
          data={(actions.value ?? []).map(a => ({ ...a }))}
          options={{
            search: false,
            paging: false,
            padding: 'dense',
            sorting: false,
          }}
          emptyContent={
            <Typography variant="body2" style={{ padding: 16 }}>
              {actions.error ? actions.error.message : t('power.none')}
            </Typography>
          }
        />
        {actions.value?.[0] && (
          <Typography variant="caption" color="textSecondary">
            Last: {actions.value[0].action} by {actions.value[0].actor} on{' '}
            {formatDateTime(Date.parse(actions.value[0].requestedAt) / 1000)}
          </Typography>
        )}
      </Grid>
      <Grid item xs={12}>
        <Link href={d.webUrl} target="_blank" rel="noopener">
          {t('page.openInProxmox')}
        </Link>
      </Grid>
    </Grid>
  );
}
