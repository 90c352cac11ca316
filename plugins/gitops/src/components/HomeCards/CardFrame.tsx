import { Link, Progress, WarningPanel } from '@backstage/core-components';
import type { SourceError } from '@homelab-portal/plugin-gitops-common';
import { Box, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { ageOf } from '../../lib/age';

/**
 * What every home card shares: a loading state, a clear message when its
 * source is down (the other cards still render), the age of its data and a
 * link to the detail page. A refresh that fails after a good read keeps the
 * old data on screen, marked with its age, rather than blanking the card.
 *
 * @public
 */
export function CardFrame(props: {
  loading: boolean;
  error?: Error;
  what: string;
  /** When the data on screen was read; unset until a first good read. */
  checkedAt?: string;
  errors?: SourceError[];
  detail: { title: string; url: string };
  children?: ReactNode;
}) {
  if (props.loading) return <Progress />;
  const footer = (
    <Box display="flex" justifyContent="space-between" mt={1}>
      <Typography variant="caption" color="textSecondary">
        Checked {ageOf(props.checkedAt)}
      </Typography>
      <Link to={props.detail.url}>{props.detail.title}</Link>
    </Box>
  );
  if (props.error && !props.checkedAt)
    return (
      <Box data-testid={`card-${props.what}`}>
        <WarningPanel
          severity="error"
          title={`${props.what} is unavailable`}
          message={`Its source did not answer (${props.error.message}). The other cards are not affected; this one tries again on its own.`}
        />
        {footer}
      </Box>
    );
  return (
    <Box data-testid={`card-${props.what}`}>
      {props.error && (
        <Typography variant="caption" color="error" display="block">
          Could not refresh ({props.error.message}): showing what was read{' '}
          {ageOf(props.checkedAt)}.
        </Typography>
      )}
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
      {footer}
    </Box>
  );
}
