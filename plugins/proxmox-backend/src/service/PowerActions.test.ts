import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ProxmoxService } from '@homelab-portal/plugin-proxmox-node';
import { PowerActionStore } from '../database/PowerActionStore';
import { PowerActions } from './PowerActions';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

describe('PowerActions at start-up', () => {
  it("leaves another replica's action in flight alone, and fails only one whose backend died", async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await PowerActionStore.create(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const begin = (requestedAt: Date) =>
      store.begin({
        instance: 'home',
        node: 'pve',
        vmid: 101,
        guestType: 'qemu',
        action: 'reboot',
        actor: 'user:default/alex',
        requestedAt,
      });
    // Sent by a replica that died an hour ago, and by one sending right now.
    const dead = await begin(new Date(Date.now() - 3_600_000));
    const inFlight = await begin(new Date());
    const actions = new PowerActions(
      {} as ProxmoxService,
      store,
      mockServices.logger.mock(),
      20,
      300,
    );
    await actions.resume();
    expect((await store.get(dead.id)).result).toBe('failed');
    expect((await store.get(inFlight.id)).result).toBe('running');
    // Still without a task id long after any power call would have answered.
    await new Promise(r => setTimeout(r, 500));
    expect(await store.get(inFlight.id)).toMatchObject({
      result: 'failed',
      message: 'the backend stopped before Proxmox answered',
    });
    actions.stop();
    await knex.destroy();
  });
});
