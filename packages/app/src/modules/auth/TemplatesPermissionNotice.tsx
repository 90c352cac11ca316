import { ReactNode } from 'react';
import { Content, InfoCard } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import Typography from '@material-ui/core/Typography';

/**
 * Family members see the templates but have no "Choose" button on them (the
 * scaffolder hides it when scaffolder.task.create is denied); this says why,
 * instead of leaving them to wonder where the button went.
 */
export function TemplatesPermissionNotice({
  children,
}: {
  children: ReactNode;
}) {
  const { allowed, loading } = usePermission({
    permission: taskCreatePermission,
  });
  return (
    <>
      {!loading && !allowed && (
        <Content noPadding>
          <InfoCard title="Only home admins can run templates">
            <Typography
              variant="body1"
              data-testid="templates-permission-notice"
            >
              Templates change the household's platform (they open pull requests
              against the GitOps repository), so running them is kept for the
              home admins. You can still browse them and read what they do; ask
              a home admin if something should be added.
            </Typography>
          </InfoCard>
        </Content>
      )}
      {children}
    </>
  );
}
