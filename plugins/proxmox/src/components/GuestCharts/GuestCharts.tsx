import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxTranslationRef } from '../../translation';
import { RrdChart } from '../RrdChart';

/** CPU, memory, network and disk I/O history of one guest (rrddata). */
export function GuestCharts(props: { rows: ProxmoxRrdPoint[] }) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const { rows } = props;
  const common = { rows, emptyText: t('charts.noData') };
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
          unit="bytes"
          series={[{ name: t('charts.memory'), value: r => r.mem }]}
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
          title="Disk I/O"
          unit="rate"
          series={[
            { name: t('charts.read'), value: r => r.diskread },
            { name: t('charts.write'), value: r => r.diskwrite },
          ]}
        />
      </Grid>
    </Grid>
  );
}
