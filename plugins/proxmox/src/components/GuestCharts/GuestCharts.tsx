import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import { proxmoxTranslationRef } from '../../translation';
import { RrdChartGrid } from '../RrdChart';

/** CPU, memory, network and disk I/O history of one guest (rrddata). */
export function GuestCharts(props: { rows: ProxmoxRrdPoint[] }) {
  const { t } = useTranslationRef(proxmoxTranslationRef);
  return (
    <RrdChartGrid
      rows={props.rows}
      charts={[
        'cpu',
        {
          title: t('charts.memory'),
          unit: 'bytes',
          series: [{ name: t('charts.memory'), value: r => r.mem }],
        },
        'network',
        {
          title: 'Disk I/O',
          unit: 'rate',
          series: [
            { name: t('charts.read'), value: r => r.diskread },
            { name: t('charts.write'), value: r => r.diskwrite },
          ],
        },
      ]}
    />
  );
}
