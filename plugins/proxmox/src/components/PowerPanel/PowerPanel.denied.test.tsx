import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen } from '@testing-library/react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { fakeApi, guests, instance } from '../../__testUtils__/fakeApi';
import { PowerPanel } from './PowerPanel';

// A file of its own: usePermission caches answers (SWR) for the whole file.
jest.setTimeout(60_000);
const wait = { timeout: 20_000 };

describe('PowerPanel for users without the permission', () => {
  it('shows the buttons disabled, with the reason, to users without the permission', async () => {
    const api = fakeApi();
    await renderInTestApp(
      <PowerPanel
        instance={instance}
        guest={guests[0]}
        status="running"
        onChanged={jest.fn()}
      />,
      {
        apis: [
          [proxmoxApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ],
      },
    );
    expect(
      await screen.findByText(
        /Only home admins may use power actions/,
        {},
        wait,
      ),
    ).toBeInTheDocument();
    for (const name of ['Start', 'Shut down', 'Reboot', 'Stop']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });
});
