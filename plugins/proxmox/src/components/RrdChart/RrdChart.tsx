import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { ProxmoxRrdPoint } from '@homelab-portal/plugin-proxmox-common';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBytes, formatClock } from '../../lib/format';

export type RrdSeries = {
  name: string;
  /** The value to plot for a row; undefined for an empty slot. */
  value: (row: ProxmoxRrdPoint) => number | undefined;
};

export type RrdUnit = 'percent' | 'bytes' | 'rate';

const formatters: Record<RrdUnit, (v: number) => string> = {
  percent: v => `${Math.round(v)}%`,
  rate: v => `${formatBytes(v)}/s`,
  bytes: v => formatBytes(v),
};

function tick(unit: RrdUnit) {
  return formatters[unit];
}

/** One history chart of Proxmox rrddata rows (60 s to one-week steps). */
export function RrdChart(props: {
  title: string;
  rows: ProxmoxRrdPoint[];
  series: RrdSeries[];
  unit: RrdUnit;
  height?: number;
  emptyText: string;
}) {
  const theme = useTheme();
  const colors = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    '#2e7d32',
    '#ed6c02',
  ];
  const span =
    props.rows.length > 1
      ? props.rows[props.rows.length - 1].time - props.rows[0].time
      : 0;
  const data = props.rows.map(r => {
    const point: Record<string, number | string | undefined> = {
      time: formatClock(r.time, span > 86400 * 1.5),
    };
    props.series.forEach(s => {
      point[s.name] = s.value(r);
    });
    return point;
  });
  const withData = data.filter(p =>
    props.series.some(s => p[s.name] !== undefined),
  ).length;
  return (
    <div>
      <Typography variant="subtitle2">{props.title}</Typography>
      {withData < 2 ? (
        <Typography variant="body2" color="textSecondary">
          {props.emptyText}
        </Typography>
      ) : (
        <div
          style={{ width: '100%', height: props.height ?? 160 }}
          role="img"
          aria-label={props.title}
        >
          <ResponsiveContainer>
            <AreaChart
              data={data}
              margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="time" minTickGap={40} tick={{ fontSize: 11 }} />
              <YAxis
                width={64}
                tick={{ fontSize: 11 }}
                tickFormatter={tick(props.unit)}
                domain={props.unit === 'percent' ? [0, 100] : [0, 'auto']}
              />
              <Tooltip formatter={(v: number) => tick(props.unit)(v)} />
              {props.series.length > 1 && <Legend />}
              {props.series.map((s, i) => (
                <Area
                  key={s.name}
                  type="monotone"
                  dataKey={s.name}
                  stroke={colors[i % colors.length]}
                  fill={colors[i % colors.length]}
                  fillOpacity={0.15}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
