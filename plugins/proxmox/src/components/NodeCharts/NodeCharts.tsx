import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxTranslationRef } from '../../translation';
import { RrdChartGrid } from '../RrdChart';

const pct = (a?: number, b?: number) =>
  a === undefined || !b ? undefined : (a / b) * 100;

/** CPU, memory, network and root-disk history of one node (rrddata). */
export function NodeCharts(props: {
  rows: ProxmoxRrdPoint[];
  height?: number;
}) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  return (
    <RrdChartGrid
      rows={props.rows}
      height={props.height}
      charts={[
        'cpu',
        {
          title: t('charts.memory'),
          unit: 'percent',
          series: [
            {
              name: t('charts.memory'),
              value: r => pct(r.memused, r.memtotal),
            },
          ],
        },
        'network',
        {
          title: t('charts.disk'),
          unit: 'percent',
          series: [
            {
              name: t('charts.disk'),
              value: r => pct(r.rootused, r.roottotal),
            },
          ],
        },
      ]}
    />
  );
}
