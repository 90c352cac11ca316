import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { fakeApi, guests, instance } from '../../__testUtils__/fakeApi';
import { PowerPanel } from './PowerPanel';

jest.setTimeout(60_000);
const wait = { timeout: 20_000 };
const upid =
  'UPID:pve:001D2555:04F04BA4:6B073794:qmreboot:100:backstage@pve!power:';

describe('PowerPanel', () => {
  it('reboots after confirmation and follows the task until Proxmox reports its end', async () => {
    let polls = 0;
    const api = fakeApi({
      power: async () => ({
        upid,
        record: {
          id: 1,
          instance: 'home',
          node: 'pve',
          vmid: 100,
          guestType: 'qemu',
          action: 'reboot',
          actor: 'user:default/guest',
          requestedAt: new Date().toISOString(),
          upid,
          result: 'running',
        },
      }),
      getTaskStatus: async () => {
        polls++;
        const done = polls >= 2;
        return {
          task: {
            upid,
            node: 'pve',
            type: 'qmreboot',
            id: '100',
            user: 'backstage@pve!power',
            starttime: 0,
            status: done ? 'stopped' : 'running',
            exitstatus: done ? 'OK' : undefined,
            ok: done ? true : undefined,
          },
        };
      },
    });
    const onChanged = jest.fn();
    await renderInTestApp(
      <PowerPanel
        instance={instance}
        guest={guests[0]}
        status="running"
        onChanged={onChanged}
      />,
      {
        apis: [
          [proxmoxApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ],
      },
    );
    await waitFor(
      () =>
        expect(screen.getByRole('button', { name: 'Reboot' })).toBeEnabled(),
      wait,
    );
    const reboot = screen.getByRole('button', { name: 'Reboot' });
    expect(screen.getByRole('button', { name: 'Start' })).toBeDisabled();
    fireEvent.click(reboot);
    expect(
      await screen.findByText('Reboot talos-cp-1 (VM 100)?', {}, wait),
    ).toBeInTheDocument();
    expect(api.power).not.toHaveBeenCalled();
    fireEvent.click(screen.getAllByRole('button', { name: 'Reboot' }).at(-1)!);
    await waitFor(
      () => expect(api.power).toHaveBeenCalledWith('home', 100, 'reboot'),
      wait,
    );
    expect(await screen.findByRole('status', {}, wait)).toHaveTextContent(
      'Proxmox is running the task',
    );
    expect(await screen.findByText('Reboot: OK', {}, wait)).toBeInTheDocument();
    expect(api.getTaskStatus).toHaveBeenCalledWith('home', upid);
    expect(onChanged).toHaveBeenCalled();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('shows why Proxmox refused an action', async () => {
    const api = fakeApi({
      power: async () => {
        throw new Error('CT 200 already running');
      },
    });
    await renderInTestApp(
      <PowerPanel
        instance={instance}
        guest={guests[2]}
        status="stopped"
        onChanged={jest.fn()}
      />,
      {
        apis: [
          [proxmoxApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ],
      },
    );
    await waitFor(
      () => expect(screen.getByRole('button', { name: 'Start' })).toBeEnabled(),
      wait,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    fireEvent.click(
      (await screen.findAllByRole('button', { name: 'Start' }, wait)).at(-1)!,
    );
    expect(
      await screen.findByText('CT 200 already running', {}, wait),
    ).toBeInTheDocument();
  });
});
