import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  ProxmoxInstanceInfo,
  ProxmoxTimeframe,
} from '@homelab-portal/plugin-proxmox-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { usePolled } from '@homelab-portal/homelab-react';
import { formatDuration, formatPercent } from '../../lib/format';
import { proxmoxTranslationRef } from '../../translation';
import { DataStateBanner, PartialErrors } from '../DataStateBanner';
import { GuestStatus, GuestTable } from '../GuestTable';
import { NodeCharts } from '../NodeCharts';
import { StorageTable } from '../StorageTable';
import { UsageBar } from '../UsageBar';
import { TimeframeSelect } from '../TimeframeSelect';

/** The Proxmox tab of a node entity. */
export function NodeContent(props: {
  instance: string;
  node: string;
  info?: ProxmoxInstanceInfo;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const api = useApi(proxmoxApiRef);
  const [timeframe, setTimeframe] = useState<ProxmoxTimeframe>('hour');
  const detail = usePolled(
    () => api.getNode(props.instance, props.node, timeframe),
    15_000,
    [api, props.instance, props.node, timeframe],
  );
  if (!detail.value) {
    return detail.loading ? (
      <Progress />
    ) : (
      <DataStateBanner error={detail.error} onRetry={detail.retry} />
    );
  }
  const d = detail.value;
  const s = d.status;
  const facts: Record<string, string> = {};
  if (s?.pveversion) facts['Proxmox VE'] = s.pveversion;
  if (s?.kversion) facts.Kernel = s.kversion;
  if (s?.cpuModel) facts.CPU = `${s.cpuModel} (${s.cpus ?? '?'} threads)`;
  if (s?.loadavg) facts.Load = s.loadavg.map(l => l.toFixed(2)).join(' ');
  if (s?.bootMode) facts.Boot = s.bootMode;
  facts.Uptime = formatDuration(d.node.uptime);
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
      <Grid item xs={12} md={5}>
        <InfoCard
          title={
            <span>
              {d.node.node} <GuestStatus status={d.node.status} />
            </span>
          }
          subheader={`CPU ${formatPercent(d.node.cpu)}`}
        >
          <StructuredMetadataTable metadata={facts} dense />
          <Box marginTop={2}>
            <Typography variant="caption">Memory</Typography>
            <UsageBar
              used={s?.memory?.used ?? d.node.mem}
              total={s?.memory?.total ?? d.node.maxmem}
            />
            <Typography variant="caption">Root disk</Typography>
            <UsageBar
              used={s?.rootfs?.used ?? d.node.disk}
              total={s?.rootfs?.total ?? d.node.maxdisk}
            />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="History"
          action={
            <Box marginTop={1} marginRight={1}>
              <TimeframeSelect
                value={timeframe}
                onChange={setTimeframe}
                withYear
              />
            </Box>
          }
        >
          <NodeCharts rows={d.rrd} height={140} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <GuestTable
          guests={d.guests}
          warningDays={props.info?.backupWarningDays ?? 2}
          title={`${t('page.guests')} on ${d.node.node} (${d.guests.length})`}
          showBackups={false}
        />
      </Grid>
      <Grid item xs={12}>
        <StorageTable storage={d.storage} />
      </Grid>
    </Grid>
  );
}
