// What the household keeps survives a restart, on both databases: the
// catalog, the scaffolder's task history (with its log) and user settings.
// On PostgreSQL the README's backup and restore (pg_dump, a new empty
// database, pg_restore) brings back the same. Port 7023.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Postgres } from './lib/postgres.mjs';
import { ProductionPortal } from './lib/productionPortal.mjs';
import { SELF_HEALING } from './lib/logWatch.mjs';
import { Sim } from '../e2e/lib/sim.mjs';
import {
  call,
  runTemplate,
  signInWhenMemberOf,
  warningsIn,
} from '../e2e/lib/household.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-data-safety-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: 0, proxmox: 0, talos: 0, kubernetes: 0, forge: 0 },
});

before(() => sim.start());
after(() => sim.stop());

/** What a household member would miss after a restart. */
async function snapshot(portal) {
  const token = await signInWhenMemberOf(portal, 'group:default/home-admins');
  const entities = await call(
    portal,
    token,
    'GET',
    '/api/catalog/entities?fields=kind,metadata.namespace,metadata.name',
  );
  const tasks = await call(portal, token, 'GET', '/api/scaffolder/v2/tasks');
  const setting = await call(
    portal,
    token,
    'GET',
    '/api/user-settings/buckets/default/keys/theme',
  );
  return {
    token,
    catalog: entities.json
      .map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`)
      .sort(),
    tasks: tasks.json.tasks
      .map(t => ({
        id: t.id,
        status: t.status,
        marker: t.spec.parameters.marker,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    theme: setting.json?.value,
  };
}

async function taskLog(portal, token, taskId) {
  const { json } = await call(
    portal,
    token,
    'GET',
    `/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  return json
    .filter(e => e.type === 'log')
    .map(e => e.body.message)
    .join('\n');
}

/** Fills a fresh portal: catalog read, one task run, one setting saved. */
async function fill(portal) {
  const token = await signInWhenMemberOf(portal, 'group:default/home-admins');
  // Wait for the catalog to settle (locations, then the Proxmox provider).
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const { json } = await call(
      portal,
      token,
      'GET',
      '/api/catalog/entities?fields=kind',
    );
    if (json.length > 50 && json.length === last) break;
    last = json.length;
    await new Promise(r => setTimeout(r, 2000));
  }
  const run = await runTemplate(portal, token, { marker: 'kept' });
  assert.equal(run.task.status, 'completed');
  const put = await call(
    portal,
    token,
    'PUT',
    '/api/user-settings/buckets/default/keys/theme',
    {
      value: 'dark',
    },
  );
  assert.equal(put.status, 200, put.text);
  return run.taskId;
}

for (const database of ['sqlite', 'postgres']) {
  describe(`on ${database}`, () => {
    const postgres = database === 'postgres' ? new Postgres() : undefined;
    const dir = path.join(workDir, database);
    fs.mkdirSync(dir, { recursive: true });
    const portal = new ProductionPortal({
      workDir: dir,
      port: 7023,
      name: `data-${database}`,
      postgres,
      sim,
    });
    let before;
    let taskId;

    test('a restart keeps the catalog, the task history and user settings', async () => {
      await postgres?.start();
      await portal.start();
      taskId = await fill(portal);
      before = await snapshot(portal);
      assert.ok(before.catalog.length > 50);
      assert.deepEqual(before.tasks, [
        { id: taskId, status: 'completed', marker: 'kept' },
      ]);
      assert.equal(before.theme, 'dark');

      await portal.restart();
      // Straight after the restart, before anything is read again.
      const after = await snapshot(portal);
      assert.deepEqual(after.catalog, before.catalog);
      assert.deepEqual(after.tasks, before.tasks);
      assert.equal(after.theme, 'dark');
      assert.match(
        await taskLog(portal, after.token, taskId),
        /test-echo marker kept/,
      );
    });

    if (postgres) {
      test('a pg_dump restored into a new, empty database brings it all back', async () => {
        await portal.stop();
        // README "Backup and restore": the nightly dump, then a restore.
        const dump = path.join(dir, 'backstage.dump');
        postgres.client('pg_dump', [
          '--format=custom',
          '--no-owner',
          `--file=${dump}`,
          'backstage',
        ]);
        await postgres.query('DROP DATABASE backstage');
        await postgres.query('CREATE DATABASE backstage OWNER backstage');
        postgres.client('pg_restore', [
          '--no-owner',
          '--role=backstage',
          '--dbname=backstage',
          '--exit-on-error',
          dump,
        ]);
        await portal.start();
        const restored = await snapshot(portal);
        assert.deepEqual(restored.catalog, before.catalog);
        assert.deepEqual(restored.tasks, before.tasks);
        assert.equal(restored.theme, 'dark');
        assert.match(
          await taskLog(portal, restored.token, taskId),
          /test-echo marker kept/,
        );
      });
    }

    test('the backend logged no warnings or errors', () => {
      assert.deepEqual(
        warningsIn(portal).filter(l => !SELF_HEALING.test(l)),
        [],
      );
    });

    after(async () => {
      await portal.stop();
      await postgres?.stop();
      postgres?.remove();
    });
  });
}
