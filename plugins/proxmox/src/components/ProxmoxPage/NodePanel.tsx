import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ProxmoxNodeSummary,
  ProxmoxTimeframe,
} from '@homelab-portal/plugin-proxmox-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { usePolled } from '@homelab-portal/homelab-react';
import { formatDuration } from '../../lib/format';
import { GuestStatus } from '../GuestTable';
import { PartialErrors } from '../DataStateBanner';
import { NodeCharts } from '../NodeCharts';
import { UsageBar } from '../UsageBar';

/** One node: its numbers now and its history. */
export function NodePanel(props: {
  instance: string;
  node: ProxmoxNodeSummary;
  timeframe: ProxmoxTimeframe;
}) {
  const api = useApi(proxmoxApiRef);
  const { node, instance, timeframe } = props;
  const detail = usePolled(
    () => api.getNode(instance, node.node, timeframe),
    30_000,
    [api, instance, node.node, timeframe],
  );
  const online = node.status === 'online';
  return (
    <InfoCard
      title={
        <span>
          <EntityRefLink entityRef={node.entityRef} title={node.node} />{' '}
          <GuestStatus status={node.status} />
        </span>
      }
      subheader={
        online
          ? `${detail.value?.status?.cpuModel ?? ''} · up ${formatDuration(
              node.uptime,
            )} · ${detail.value?.status?.pveversion ?? ''}`
          : `Node ${node.node} is ${node.status}`
      }
    >
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <Typography variant="caption" component="div">
            CPU
          </Typography>
          <UsageBar
            used={(node.cpu ?? 0) * 100}
            total={online ? 100 : undefined}
            label={`${node.maxcpu ?? '?'} threads`}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <Typography variant="caption" component="div">
            Memory
          </Typography>
          <UsageBar used={node.mem} total={node.maxmem} />
        </Grid>
        <Grid item xs={12} md={4}>
          <Typography variant="caption" component="div">
            Root disk
          </Typography>
          <UsageBar used={node.disk} total={node.maxdisk} />
        </Grid>
        <Grid item xs={12}>
          <PartialErrors errors={detail.value?.partialErrors} />
          {detail.error && (
            <Typography variant="body2" color="error">
              {detail.error.message}
            </Typography>
          )}
          {online && <NodeCharts rows={detail.value?.rrd ?? []} />}
        </Grid>
      </Grid>
    </InfoCard>
  );
}
