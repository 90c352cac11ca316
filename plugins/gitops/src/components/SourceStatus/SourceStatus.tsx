import { WarningPanel } from '@backstage/core-components';
import type { SourceError } from '@homelab-portal/plugin-gitops-common';
import { Typography } from '@material-ui/core';
import { ageOf } from '../../lib/age';

const WHAT_TO_DO: Record<SourceError['source'], string> = {
  forge:
    'Pull requests are missing until the forge answers again; check gitops.repositories and the integration token.',
  cluster:
    'What the cluster says is missing or partial until it answers; the message names the rule or setting to fix.',
  catalog:
    'Apps cannot be matched to catalog entities until the catalog answers.',
};

/** How old the data is, and each source that could not be read, with what to do. */
export function SourceStatus(props: {
  checkedAt?: string;
  errors?: SourceError[];
}) {
  return (
    <>
      <Typography
        variant="caption"
        color="textSecondary"
        data-testid="data-age"
      >
        Checked {ageOf(props.checkedAt)}
      </Typography>
      {(props.errors ?? []).map(e => (
        <WarningPanel
          key={e.message}
          severity="warning"
          title={`Could not read the ${e.source}`}
          message={`${e.message}. ${WHAT_TO_DO[e.source]}`}
        />
      ))}
    </>
  );
}
