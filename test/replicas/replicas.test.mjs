// Two replicas of the production-build backend on one real PostgreSQL, the
// way the Deployment in k8s/ runs them: same catalog from both, a sign-in on
// one valid on the other, each scheduled refresh on one replica at a time, a
// scaffolder task run exactly once, and a replica killed mid-task loses
// nothing. Ports 7023 and 7024.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Postgres } from './lib/postgres.mjs';
import { Sim } from '../e2e/lib/sim.mjs';
import { ProductionPortal } from './lib/productionPortal.mjs';
import {
  COLLATOR_RUN,
  LogWatch,
  PROXMOX_REFRESH,
  SELF_HEALING,
  executionOf,
  markerLine,
} from './lib/logWatch.mjs';
import {
  call,
  runTemplate,
  signInWhenMemberOf,
  waitForTask,
  warningsIn,
} from '../e2e/lib/household.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-replicas-'));
// Its own temporary folder: the server runs as `postgres` and must reach it.
const postgres = new Postgres();

// The demo homelab on ports of its own choosing (other suites use the fixed
// test ports): the Proxmox provider refreshes from it.
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: { admin: 0, proxmox: 0, talos: 0, kubernetes: 0, forge: 0 },
});

const COLLATOR_SECONDS = 8;
const overrides = {
  // The Proxmox entity provider (plugins/catalog-backend-module-proxmox) on
  // the same short cycle.
  catalog: {
    providers: {
      proxmox: {
        schedule: {
          frequency: { seconds: COLLATOR_SECONDS },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 1 },
        },
      },
    },
  },
  // A refresh that runs often enough to watch; every replica schedules it.
  // Its first run waits for the catalog (an empty one logs a warning).
  search: {
    collators: {
      catalog: {
        schedule: {
          frequency: { seconds: COLLATOR_SECONDS },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 60 },
        },
      },
    },
  },
  // Short enough to see the janitor close a killed replica's task.
  scaffolder: {
    taskTimeout: '10s',
    taskTimeoutJanitorFrequency: '5s',
    EXPERIMENTAL_gracefulShutdown: true,
  },
};

// One TechDocs folder for both, as the ReadWriteMany volume in k8s/ gives
// the Pods: docs built by one replica are read and indexed by any.
const techdocsDir = path.join(workDir, 'techdocs');

function replica(name, port) {
  const dir = path.join(workDir, name);
  fs.mkdirSync(dir, { recursive: true });
  return new ProductionPortal({
    workDir: dir,
    port,
    name,
    postgres,
    overrides,
    sim,
    env: { TECHDOCS_DIR: techdocsDir },
  });
}
const a = replica('replica-a', 7023);
const b = replica('replica-b', 7024);
let watchA;
let watchB;
let tokenA;
let tokenB;

before(async () => {
  await sim.start();
  await postgres.start();
  // One after the other, like a rolling start: two replicas migrating an
  // empty database at the same instant make one of them fail with knex's
  // MigrationLocked (see README, "Running in your cluster").
  await a.start();
  await b.start();
  watchA = new LogWatch(a);
  watchB = new LogWatch(b);
  tokenA = await signInWhenMemberOf(a, 'group:default/home-admins');
  tokenB = await signInWhenMemberOf(b, 'group:default/home-admins');
});

after(async () => {
  watchA?.stop();
  watchB?.stop();
  await a.stop();
  await b.stop();
  await postgres.stop();
  postgres.remove();
  await sim.stop();
});

async function refs(portal, token) {
  const { status, json, text } = await call(
    portal,
    token,
    'GET',
    '/api/catalog/entities?fields=kind,metadata.namespace,metadata.name',
  );
  assert.equal(status, 200, text);
  return json
    .map(e =>
      `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase(),
    )
    .sort();
}

/** Waits until the catalog has stopped growing on `portal`. */
async function settledRefs(portal, token) {
  let previous = [];
  for (let i = 0; i < 120; i++) {
    const now = await refs(portal, token);
    if (now.length > 50 && now.length === previous.length) return now;
    previous = now;
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error('the catalog never settled');
}

let catalogBefore;

test('both replicas serve the same catalog from the one database', async () => {
  catalogBefore = await settledRefs(a, tokenA);
  assert.ok(catalogBefore.includes('user:default/sam'));
  assert.ok(catalogBefore.includes('template:default/test-echo'));
  assert.deepEqual(await refs(b, tokenB), catalogBefore);
  // The catalog lives in PostgreSQL, in its own schema.
  const [{ count }] = await postgres.query(
    'SELECT count(*)::int AS count FROM catalog.final_entities',
    [],
    'backstage',
  );
  assert.equal(count, catalogBefore.length);
});

test('a sign-in on one replica is valid on the other, and so are settings', async () => {
  const put = await call(
    a,
    tokenA,
    'PUT',
    '/api/user-settings/buckets/default/keys/theme',
    {
      value: 'dark',
    },
  );
  assert.equal(put.status, 200, put.text);
  const got = await call(
    b,
    tokenA,
    'GET',
    '/api/user-settings/buckets/default/keys/theme',
  );
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.value, 'dark');
});

/** Runs of a scheduled task on either replica since `since`, in order. */
function runsOf(re, since) {
  return [
    ...watchA.matching(re).map(({ at }) => ({ at, on: 'a' })),
    ...watchB.matching(re).map(({ at }) => ({ at, on: 'b' })),
  ]
    .filter(({ at }) => at >= since)
    .sort((x, y) => x.at - y.at);
}

test('each scheduled refresh runs on one replica at a time', async () => {
  // The collator's first run waits a minute (initialDelay); start watching
  // once both tasks have run somewhere.
  const deadline = Date.now() + 120_000;
  while (
    runsOf(COLLATOR_RUN, 0).length === 0 ||
    runsOf(PROXMOX_REFRESH, 0).length === 0
  ) {
    assert.ok(Date.now() < deadline, 'the scheduled tasks never ran');
    await new Promise(r => setTimeout(r, 1000));
  }
  const started = Date.now();
  const windowMs = 5 * COLLATOR_SECONDS * 1000;
  await new Promise(r => setTimeout(r, windowMs));
  // Both replicas schedule both tasks every COLLATOR_SECONDS; run on every
  // replica they would show up about twice as often, close together.
  const expected = windowMs / (COLLATOR_SECONDS * 1000);
  for (const [what, re] of [
    ['search collator', COLLATOR_RUN],
    ['Proxmox provider', PROXMOX_REFRESH],
  ]) {
    const runs = runsOf(re, started);
    assert.ok(
      runs.length >= expected - 2,
      `${what}: only ${runs.length} runs in ${windowMs} ms`,
    );
    assert.ok(
      runs.length <= expected + 1,
      `${what}: ${runs.length} runs in ${windowMs} ms, more than one replica per cycle`,
    );
    // Runs on two replicas in the same cycle would start together; a cycle
    // picked up late (a busy machine) only shortens the gap to the next.
    for (let i = 1; i < runs.length; i++) {
      assert.ok(
        runs[i].at - runs[i - 1].at > 1000,
        `${what}: two runs ${runs[i].at - runs[i - 1].at} ms apart (${
          runs[i - 1].on
        }, ${runs[i].on})`,
      );
    }
  }
  // The lock behind it: one row per task in each plugin's own schema.
  const rows = await postgres.query(
    "SELECT id FROM search.backstage_backend_tasks__tasks WHERE id = 'search_index_software_catalog' UNION ALL SELECT id FROM catalog.backstage_backend_tasks__tasks WHERE id LIKE 'ProxmoxEntityProvider%'",
    [],
    'backstage',
  );
  assert.equal(rows.length, 2, JSON.stringify(rows));
  // And the provider's entities are in the one catalog both serve.
  const guests = (await refs(b, tokenB)).filter(r =>
    r.startsWith('resource:default/proxmox-home-'),
  );
  assert.ok(guests.length > 3, `Proxmox entities: ${guests.join(', ')}`);
});

test('scaffolder tasks run exactly once, whichever replica took them', async () => {
  const markers = ['once-1', 'once-2', 'once-3', 'once-4'];
  const results = await Promise.all(
    markers.map((marker, i) =>
      i % 2 === 0
        ? runTemplate(a, tokenA, { marker })
        : runTemplate(b, tokenB, { marker }),
    ),
  );
  for (const { created, task } of results) {
    assert.equal(created.status, 201, created.text);
    assert.equal(task.status, 'completed');
  }
  for (const marker of markers) {
    const seen =
      watchA.matching(markerLine(marker)).length +
      watchB.matching(markerLine(marker)).length;
    assert.equal(seen, 1, `marker ${marker} logged ${seen} times`);
  }
  // Either replica answers for any task, with the same log.
  for (const { taskId } of results) {
    const fromA = await call(
      a,
      tokenA,
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    const fromB = await call(
      b,
      tokenB,
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    );
    assert.deepEqual(fromA.json, fromB.json);
    assert.equal(
      fromA.json.filter(e => e.type === 'completion').length,
      1,
      'one completion event',
    );
  }
});

test('killing a replica mid-task loses nothing', async () => {
  const earlierTasks = (
    await call(b, tokenB, 'GET', '/api/scaffolder/v2/tasks')
  ).json.tasks;
  // A task that waits 30 s, started on replica A.
  const created = await call(a, tokenA, 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/test-echo',
    values: { marker: 'survivor', waitSeconds: 30 },
  });
  assert.equal(created.status, 201, created.text);
  const taskId = created.json.id;
  const deadline = Date.now() + 30_000;
  while (
    watchA.matching(executionOf(taskId)).length +
      watchB.matching(executionOf(taskId)).length ===
    0
  ) {
    assert.ok(Date.now() < deadline, 'no replica started the task');
    await new Promise(r => setTimeout(r, 200));
  }
  const [runner, other, otherToken, otherWatch] =
    watchA.matching(executionOf(taskId)).length > 0
      ? [a, b, tokenB, watchB]
      : [b, a, tokenA, watchA];

  await runner.kill();

  // The survivor still has the whole catalog, every finished task and the
  // settings, straight away.
  assert.deepEqual(await refs(other, otherToken), catalogBefore);
  const tasks = (
    await call(other, otherToken, 'GET', '/api/scaffolder/v2/tasks')
  ).json.tasks;
  for (const t of earlierTasks) {
    assert.equal(tasks.find(x => x.id === t.id)?.status, t.status);
  }
  const setting = await call(
    other,
    otherToken,
    'GET',
    '/api/user-settings/buckets/default/keys/theme',
  );
  assert.equal(setting.json.value, 'dark');

  // The orphaned task is closed by the survivor's janitor, with its log, ...
  const closed = await waitForTask(other, otherToken, taskId, 90_000);
  assert.equal(closed.status, 'failed');
  const events = (
    await call(
      other,
      otherToken,
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events`,
    )
  ).json;
  assert.ok(
    events.some(e => /marked as stale/.test(e.body?.message ?? '')),
    'the task log says why it stopped',
  );
  // ... and started over there, it runs to the end.
  const retry = await call(
    other,
    otherToken,
    'POST',
    `/api/scaffolder/v2/tasks/${taskId}/retry`,
    {},
  );
  assert.equal(retry.status, 201, retry.text);
  const done = await waitForTask(other, otherToken, taskId, 120_000);
  assert.equal(done.status, 'completed');
  assert.equal(otherWatch.matching(markerLine('survivor')).length, 1);

  // The survivor now does the scheduled refreshes on its own.
  const since = Date.now();
  const refreshDeadline = since + 6 * COLLATOR_SECONDS * 1000;
  while (!otherWatch.matching(COLLATOR_RUN).some(({ at }) => at >= since)) {
    assert.ok(
      Date.now() < refreshDeadline,
      'the survivor never took over the refresh',
    );
    await new Promise(r => setTimeout(r, 500));
  }

  // The killed replica comes back to the same data.
  await runner.start();
  const token = await signInWhenMemberOf(runner, 'group:default/home-admins');
  assert.deepEqual(await refs(runner, token), catalogBefore);
});

test('no replica logged a warning or an error', () => {
  assert.deepEqual(
    [...warningsIn(a), ...warningsIn(b)].filter(l => !SELF_HEALING.test(l)),
    [],
  );
});
