import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { SWRConfig } from 'swr';
import { screen } from '@testing-library/react';
import { TemplatesPermissionNotice } from './TemplatesPermissionNotice';

async function renderAs(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const permissionApi = mockApis.permission({
    authorize: request =>
      request.permission.name === 'scaffolder.task.create'
        ? result
        : AuthorizeResult.ALLOW,
  });
  // usePermission caches decisions in SWR; a fresh cache per test.
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TemplatesPermissionNotice>
        <div>the template list</div>
      </TemplatesPermissionNotice>
    </SWRConfig>,
    { apis: [permissionApi] },
  );
}

describe('TemplatesPermissionNotice', () => {
  it('tells family members why they cannot run templates', async () => {
    await renderAs(AuthorizeResult.DENY);
    expect(
      await screen.findByText('Only home admins can run templates'),
    ).toBeInTheDocument();
    expect(screen.getByText('the template list')).toBeInTheDocument();
  });

  it('stays out of the way for home admins', async () => {
    await renderAs(AuthorizeResult.ALLOW);
    expect(await screen.findByText('the template list')).toBeInTheDocument();
    expect(
      screen.queryByText('Only home admins can run templates'),
    ).not.toBeInTheDocument();
  });
});
