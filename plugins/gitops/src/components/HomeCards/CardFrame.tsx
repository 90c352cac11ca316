import { Link, Progress, WarningPanel } from '@backstage/core-components';
import type { SourceError } from '@homelab-portal/plugin-gitops-common';
import { Box, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { ageOf } from '../../lib/age';

/**
 * What every home card shares: a loading state, a clear message when its
 * source is down (the other cards still render), the age of its data and a
 * link to the detail page.
 */
export function CardFrame(props: {
  loading: boolean;
  error?: Error;
  what: string;
  checkedAt?: string;
  errors?: SourceError[];
  detail: { title: string; url: string };
  children?: ReactNode;
}) {
  if (props.loading) return <Progress />;
  if (props.error)
    return (
      <WarningPanel
        severity="error"
        title={`${props.what} is unavailable`}
        message={`Its source did not answer (${props.error.message}). The other cards are not affected; reload to try again.`}
      />
    );
  return (
    <Box data-testid={`card-${props.what}`}>
      {(props.errors ?? []).map(e => (
        <Typography
          key={e.message}
          variant="caption"
          color="error"
          display="block"
        >
          Could not read the {e.source}: {e.message}
        </Typography>
      ))}
      {props.children}
      <Box display="flex" justifyContent="space-between" mt={1}>
        <Typography variant="caption" color="textSecondary">
          Checked {ageOf(props.checkedAt)}
        </Typography>
        <Link to={props.detail.url}>{props.detail.title}</Link>
      </Box>
    </Box>
  );
}
