import { Table, TableColumn } from '@backstage/core-components';
import {
  CERTIFICATE_ERROR_DAYS,
  CERTIFICATE_WARNING_DAYS,
  CertificateView,
} from '@homelab-portal/plugin-gitops-common';
import { Box, Chip, Typography, useTheme } from '@material-ui/core';
import {
  Bar,
  BarChart,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

function DaysChip(props: { cert: CertificateView }) {
  const theme = useTheme();
  const { cert } = props;
  const color = {
    ok: theme.palette.success.main,
    warning: theme.palette.warning.main,
    error: theme.palette.error.main,
  }[cert.level];
  const label =
    cert.daysLeft === undefined
      ? 'not issued'
      : `${Math.floor(cert.daysLeft)} days left`;
  return (
    <Chip
      size="small"
      label={label}
      data-level={cert.level}
      style={{ backgroundColor: color, color: theme.palette.common.white }}
    />
  );
}

/**
 * Days left per certificate as bars (amber and red lines at 21 and 7 days),
 * so "which one runs out first" is one look.
 */
function DaysLeftChart(props: { certificates: CertificateView[] }) {
  const theme = useTheme();
  const data = props.certificates.map(c => ({
    name: c.name,
    days: Math.max(0, c.daysLeft ?? 0),
    level: c.level,
  }));
  const fill = (level: string) =>
    ({
      ok: theme.palette.success.main,
      warning: theme.palette.warning.main,
      error: theme.palette.error.main,
    }[level]);
  return (
    <Box height={40 + 32 * data.length} data-testid="days-left-chart">
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ left: 40 }}>
          <XAxis type="number" domain={[0, 'dataMax']} unit=" d" />
          <YAxis type="category" dataKey="name" width={220} />
          <Tooltip />
          <ReferenceLine
            x={CERTIFICATE_WARNING_DAYS}
            stroke={theme.palette.warning.main}
          />
          <ReferenceLine
            x={CERTIFICATE_ERROR_DAYS}
            stroke={theme.palette.error.main}
          />
          <Bar dataKey="days" isAnimationActive={false}>
            {data.map(d => (
              <Cell key={d.name} fill={fill(d.level)} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}

/** Certificates with days left, readiness and the last renewal failure. */
export function CertificatesTable(props: {
  certificates: CertificateView[];
  title?: string;
  chart?: boolean;
}) {
  const columns: TableColumn<CertificateView>[] = [
    {
      title: 'Certificate',
      render: c => (
        <>
          <Typography variant="body2">{c.name}</Typography>
          <Typography variant="caption" color="textSecondary">
            {c.namespace} · {c.issuer}
          </Typography>
        </>
      ),
    },
    { title: 'Host names', render: c => c.hostnames.join(', ') },
    { title: 'Days left', render: c => <DaysChip cert={c} /> },
    {
      title: 'Status',
      render: c => (
        <>
          <Typography variant="body2">
            {c.ready ? 'Ready' : `Not ready (${c.reason})`}: {c.message}
          </Typography>
          {c.failure && (
            <Typography variant="caption" color="error">
              Renewal failing: {c.failure}
            </Typography>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      {props.chart && props.certificates.length > 0 && (
        <DaysLeftChart certificates={props.certificates} />
      )}
      <Table
        title={props.title ?? 'Certificates'}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={props.certificates}
        emptyContent={
          <Box p={2}>
            No cert-manager Certificate serves these host names. A route without
            one is served with whatever certificate its Gateway listener has.
          </Box>
        }
      />
    </>
  );
}
