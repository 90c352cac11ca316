import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { PowerActionStore } from './PowerActionStore';

// SQLite always; PostgreSQL too when BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING is set.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_18', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_13'],
  disableDocker: true,
});

describe('PowerActionStore', () => {
  it.each(databases.eachSupportedId())(
    'records who did what, when, the task and how it ended (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PowerActionStore.create(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      const requestedAt = new Date('2026-11-25T10:00:00.000Z');
      const begun = await store.begin({
        instance: 'home',
        node: 'pve',
        vmid: 101,
        guestType: 'qemu',
        action: 'reboot',
        actor: 'user:default/guest',
        requestedAt,
      });
      expect(begun).toMatchObject({
        instance: 'home',
        vmid: 101,
        action: 'reboot',
        actor: 'user:default/guest',
        requestedAt: '2026-11-25T10:00:00.000Z',
        result: 'running',
      });
      expect(begun.upid).toBeUndefined();
      const upid =
        'UPID:pve:001D2555:04F04BA4:6B073794:qmreboot:101:backstage@pve!power:';
      await store.started(begun.id, upid);
      expect(await store.unfinished()).toHaveLength(1);
      const done = await store.finish(
        begun.id,
        'ok',
        'OK',
        new Date('2026-11-25T10:00:06.000Z'),
      );
      expect(done).toMatchObject({
        result: 'ok',
        message: 'OK',
        upid,
        finishedAt: '2026-11-25T10:00:06.000Z',
      });
      // A finished action is never rewritten.
      const again = await store.finish(begun.id, 'failed', 'late');
      expect(again).toMatchObject({ result: 'ok', message: 'OK' });
      expect((await store.byUpid(upid))?.id).toBe(begun.id);

      const refused = await store.begin({
        instance: 'home',
        node: 'pve',
        vmid: 101,
        guestType: 'qemu',
        action: 'start',
        actor: 'user:default/guest',
      });
      await store.finish(refused.id, 'failed', 'VM 101 already running');
      const history = await store.forGuest('home', 101);
      expect(history.map(h => [h.action, h.result])).toEqual([
        ['start', 'failed'],
        ['reboot', 'ok'],
      ]);
      expect(await store.forGuest('home', 102)).toEqual([]);
      expect(await store.unfinished()).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes finished actions past their keep time, never running ones (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PowerActionStore.create(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      const action = (vmid: number) =>
        store.begin({
          instance: 'home',
          node: 'pve',
          vmid,
          guestType: 'qemu',
          action: 'start',
          actor: 'user:default/alex',
          requestedAt: new Date('2026-01-01T00:00:00Z'),
        });
      const old = await action(100);
      await store.finish(old.id, 'ok', 'OK', new Date('2026-01-01T00:00:05Z'));
      const recent = await action(101);
      await store.finish(
        recent.id,
        'ok',
        'OK',
        new Date('2026-06-01T00:00:00Z'),
      );
      const running = await action(102);
      expect(
        await store.deleteFinishedBefore(new Date('2026-03-01T00:00:00Z')),
      ).toBe(1);
      expect(await store.forGuest('home', 100)).toEqual([]);
      expect((await store.forGuest('home', 101)).map(r => r.id)).toEqual([
        recent.id,
      ]);
      expect((await store.unfinished()).map(r => r.id)).toEqual([running.id]);
      await knex.destroy();
    },
  );
});
