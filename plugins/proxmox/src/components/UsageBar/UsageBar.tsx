import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { formatBytes } from '../../lib/format';

type Level = 'ok' | 'high' | 'full';

const useStyles = makeStyles(theme => {
  const colors: Record<Level, string> = {
    ok: theme.palette.primary.main,
    high: theme.palette.warning?.main ?? '#ed6c02',
    full: theme.palette.error.main,
  };
  return {
    bar: (p: { level: Level }) => ({ backgroundColor: colors[p.level] }),
  };
});

function levelOf(pct: number): Level {
  if (pct >= 90) return 'full';
  return pct >= 80 ? 'high' : 'ok';
}

/** Used of total as a bar with `12.3 GiB / 64.0 GiB (19 %)`; amber past 80 %, red past 90 %. */
export function UsageBar(props: {
  used?: number;
  total?: number;
  label?: string;
}) {
  const { used, total } = props;
  const pct =
    used === undefined || !total ? 0 : Math.min(100, (used / total) * 100);
  const classes = useStyles({ level: levelOf(pct) });
  if (used === undefined || !total) {
    return <Typography variant="body2">–</Typography>;
  }
  const text = `${
    props.label ?? `${formatBytes(used)} / ${formatBytes(total)}`
  } (${pct.toFixed(0)} %)`;
  return (
    <Box minWidth={120}>
      <Typography variant="caption" component="div">
        {text}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={pct}
        aria-label={text}
        classes={{ bar: classes.bar }}
      />
    </Box>
  );
}
