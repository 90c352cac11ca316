import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxTranslationRef } from '../../translation';
import { RrdChart } from '../RrdChart';

const pct = (a?: number, b?: number) =>
  a === undefined || !b ? undefined : (a / b) * 100;

/** CPU, memory, network and root-disk history of one node (rrddata). */
export function NodeCharts(props: {
  rows: ProxmoxRrdPoint[];
  height?: number;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const { rows } = props;
  const common = { rows, height: props.height, emptyText: t('charts.noData') };
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <RrdChart
          {...common}
          title={t('charts.cpu')}
          unit="percent"
          series={[
            {
              name: t('charts.cpu'),
              value: r => (r.cpu === undefined ? undefined : r.cpu * 100),
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <RrdChart
          {...common}
          title={t('charts.memory')}
          unit="percent"
          series={[
            {
              name: t('charts.memory'),
              value: r => pct(r.memused, r.memtotal),
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <RrdChart
          {...common}
          title={t('charts.network')}
          unit="rate"
          series={[
            { name: t('charts.in'), value: r => r.netin },
            { name: t('charts.out'), value: r => r.netout },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <RrdChart
          {...common}
          title={t('charts.disk')}
          unit="percent"
          series={[
            {
              name: t('charts.disk'),
              value: r => pct(r.rootused, r.roottotal),
            },
          ]}
        />
      </Grid>
    </Grid>
  );
}
