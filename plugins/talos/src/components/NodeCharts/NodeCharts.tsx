import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { TalosNodeView } from '@homelab-portal/plugin-talos-common';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatTime, nodeLabel } from '../../lib/format';
import { talosTranslationRef } from '../../translation';

/** CPU %, memory % and load over the samples the backend has taken of one node. */
export function NodeCharts(props: { node: TalosNodeView; height?: number }) {
  const { t } = useTranslationRef(talosTranslationRef);
  const theme = useTheme();
  const { node } = props;
  const data = node.history.map(s => ({
    time: formatTime(s.at),
    cpu: s.cpuPercent,
    memory:
      s.memoryUsedBytes !== undefined && s.memoryTotalBytes
        ? Math.round((s.memoryUsedBytes / s.memoryTotalBytes) * 1000) / 10
        : undefined,
    load: s.load1,
  }));
  return (
    <InfoCard title={`${t('charts.title')}: ${nodeLabel(node)}`}>
      {!node.reachable && (
        <Typography variant="body2" color="error" gutterBottom>
          {node.error?.message}
        </Typography>
      )}
      {data.length < 2 ? (
        <Typography variant="body2" color="textSecondary">
          {t('charts.collecting')}
        </Typography>
      ) : (
        <div
          style={{ width: '100%', height: props.height ?? 220 }}
          aria-label={`${t('charts.title')}: ${nodeLabel(node)}`}
        >
          <ResponsiveContainer>
            <LineChart
              data={data}
              margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="time" minTickGap={40} />
              <YAxis yAxisId="pct" domain={[0, 100]} unit="%" width={48} />
              <YAxis yAxisId="load" orientation="right" width={36} />
              <Tooltip />
              <Legend />
              <Line
                yAxisId="pct"
                type="monotone"
                dataKey="cpu"
                name={t('charts.cpu')}
                stroke={theme.palette.primary.main}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
              <Line
                yAxisId="pct"
                type="monotone"
                dataKey="memory"
                name={t('charts.memory')}
                stroke="#8e6cc9"
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
              <Line
                yAxisId="load"
                type="monotone"
                dataKey="load"
                name={t('charts.load')}
                stroke="#f29b38"
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </InfoCard>
  );
}
