import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxTranslationRef } from '../../translation';
import { RrdChart, RrdSeries, RrdUnit } from './RrdChart';

/** A chart of its own, or one that nodes and guests draw alike. */
export type RrdChartSpec =
  | { title: string; unit: RrdUnit; series: RrdSeries[] }
  | 'cpu'
  | 'network';

/** History charts of rrddata rows, two to a row on wide screens. */
export function RrdChartGrid(props: {
  rows: ProxmoxRrdPoint[];
  charts: RrdChartSpec[];
  height?: number;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  const shared: Record<'cpu' | 'network', Exclude<RrdChartSpec, string>> = {
    cpu: {
      title: t('charts.cpu'),
      unit: 'percent',
      series: [
        {
          name: t('charts.cpu'),
          value: r => (r.cpu === undefined ? undefined : r.cpu * 100),
        },
      ],
    },
    network: {
      title: t('charts.network'),
      unit: 'rate',
      series: [
        { name: t('charts.in'), value: r => r.netin },
        { name: t('charts.out'), value: r => r.netout },
      ],
    },
  };
  return (
    <Grid container spacing={2}>
      {props.charts.map(spec => {
        const chart = typeof spec === 'string' ? shared[spec] : spec;
        return (
          <Grid item xs={12} md={6} key={chart.title}>
            <RrdChart
              {...chart}
              rows={props.rows}
              height={props.height}
              emptyText={t('charts.noData')}
            />
          </Grid>
        );
      })}
    </Grid>
  );
}
