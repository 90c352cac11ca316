// GitOps self-service as the household uses it: "Add an app" filled in the
// browser opens a pull request on the demo homelab's forge (GitHub flavour on
// the Flux repository, Gitea flavour on the Argo CD one); the branch is cloned
// and built with kubectl kustomize; the secret typed into the form is looked
// for everywhere it must not be (git history, task logs, the backend log,
// every file of the portal's SQLite data and of the demo homelab); after the
// merge the app is in the catalog. Also: the three templates in a dry run
// (what the template editor runs). Real backend (production build), real git,
// Debian Chromium.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { Portal } from './lib/portal.mjs';
import { Sim } from './lib/sim.mjs';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { repoRoot } from './lib/stage.mjs';

const run = promisify(execFile);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-e2e-gitops-'));
// Ports of this suite only, so it can run next to the others.
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  ports: {
    admin: 27021,
    proxmox: 28021,
    talos: 25021,
    kubernetes: 26421,
    forge: 23021,
  },
});
let portal;
let browser;
let page;
let forgeToken;

// What the family types into the secret fields; must end up only as ciphertext.
const canary = {
  github: `kitchen-jwt-${crypto.randomBytes(9).toString('hex')}`,
  gitea: `miniflux-admin-${crypto.randomBytes(9).toString('hex')}`,
  dryRun: `dry-run-${crypto.randomBytes(9).toString('hex')}`,
};
const results = {};

before(async () => {
  await sim.start();
  forgeToken = fs
    .readFileSync(path.join(sim.stateDir, 'forge/token'), 'utf8')
    .trim();
  portal = Portal.forSim(sim, { workDir, port: 7021, name: 'gitops' });
  await portal.start();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  // The template editor asks for a folder with showDirectoryPicker; a test
  // cannot click through the OS dialog, so the picker answers with a real
  // directory handle holding templates/expose-app, made in the page's
  // origin-private file system (the editor keeps the handle in IndexedDB).
  await page.addInitScript(template => {
    window.showDirectoryPicker = async () => {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle('expose-app', { create: true });
      const file = await dir.getFileHandle('template.yaml', { create: true });
      const writable = await file.createWritable();
      await writable.write(template);
      await writable.close();
      return dir;
    };
  }, fs.readFileSync(path.join(repoRoot, 'templates/expose-app/template.yaml'), 'utf8'));
  await signInAsGuest(page, portal.baseUrl);
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

/** The forge's REST API (GitHub /api/v3 or Gitea /api/v1) with the sim's token. */
async function forge(method, pathname, body) {
  const res = await fetch(`${sim.url('forge')}${pathname}`, {
    method,
    headers: {
      authorization: `token ${forgeToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
    dispatcher: sim.dispatcher,
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Real git against the sim's forge, trusting only its CA. */
async function git(args, cwd) {
  const auth = Buffer.from(`x-access-token:${forgeToken}`).toString('base64');
  const { stdout } = await run(
    'git',
    ['-c', `http.extraHeader=Authorization: Basic ${auth}`, ...args],
    {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_SSL_CAINFO: sim.info.caFile,
      },
    },
  );
  return stdout;
}

function kustomize(dir) {
  const out = execFileSync(
    process.env.KUBECTL ?? 'kubectl',
    ['kustomize', dir],
    {
      encoding: 'utf8',
    },
  );
  return parseAllDocuments(out).map(d => d.toJS());
}

async function api(method, pathname, body) {
  const token = await portal.guestToken();
  const res = await fetch(`${portal.baseUrl}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Picks an option of an rjsf (Material UI) select. */
async function choose(label, option) {
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const next = () => page.getByRole('button', { name: 'Next' }).click();

/** Fills "Add an app" in the browser and runs it; returns the task id and its output links. */
async function addAppThroughTheForm(app, shot) {
  await page.goto(`${portal.baseUrl}/create/templates/default/add-app`);
  await page.locator('#root_name').waitFor({ timeout: 60_000 });
  await page.locator('#root_name').fill(app.name);
  await page.locator('#root_title').fill(app.title);
  await page.locator('#root_description').fill(app.description);
  await page.locator('#root_namespace').fill(app.namespace);
  if (app.category) await page.locator('#root_category').fill(app.category);
  await screenshot(page, `${shot}-1-app`);
  await next();

  await page.locator('#root_image').fill(app.image);
  await page.locator('#root_port').fill(String(app.port));
  await page.getByRole('button', { name: 'Add Item' }).click();
  await page.locator('#root_env_0_name').fill(app.env.name);
  await page.locator('#root_env_0_value').fill(app.env.value);
  await page.locator('#root_persistence_size').fill(app.volume);
  await screenshot(page, `${shot}-2-container`);
  await next();

  await choose('Reachable', app.reachable);
  await page.locator('#root_subdomain').fill(app.subdomain);
  await screenshot(page, `${shot}-3-address`);
  await next();

  await page.locator('#root_secretKey1').fill(app.secretKey);
  await page
    .getByRole('textbox', { name: 'Secret 1 value' })
    .fill(app.secretValue);
  await screenshot(page, `${shot}-4-secrets`);
  await next();

  await choose('GitOps repository', app.repository);
  await choose('Open the pull request on', app.forge);
  await screenshot(page, `${shot}-5-repository`);
  await page.getByRole('button', { name: 'Review' }).click();
  // The review shows the secret masked, never in clear.
  await page.getByText(app.image).first().waitFor();
  assert.equal(await page.getByText(app.secretValue).count(), 0);
  await screenshot(page, `${shot}-6-review`);
  await page.getByRole('button', { name: 'Create' }).click();

  await page.waitForURL(/\/create\/tasks\//, { timeout: 60_000 });
  const taskId = page.url().split('/').pop();
  const prLink = page.getByRole('link', { name: 'Pull request' });
  await prLink.waitFor({ timeout: 180_000 });
  await screenshot(page, `${shot}-7-done`);
  return { taskId, pullRequest: await prLink.getAttribute('href') };
}

test('the three GitOps templates are offered under Create', async () => {
  // The Create page lists templates once, at load: on a busy machine the
  // first ingestion can still be running when the backend answers.
  const deadline = Date.now() + 120_000;
  while (
    (await portal.apiGet('/api/catalog/entities?filter=kind=template')).length <
      3 &&
    Date.now() < deadline
  ) {
    await new Promise(r => setTimeout(r, 1000));
  }
  await page.goto(`${portal.baseUrl}/create`);
  for (const title of [
    'Add an app',
    'Add a sealed secret to an app',
    'Expose an app',
  ]) {
    await page
      .getByText(title, { exact: true })
      .first()
      .waitFor({ timeout: 120_000 });
  }
  await screenshot(page, 'gitops-01-create');
});

test('"Add an app", GitHub flavour: a pull request on the Flux repository that builds', async () => {
  const app = {
    name: 'kitchenowl',
    title: 'KitchenOwl',
    description: 'Shopping lists and meal planning for the family.',
    namespace: 'productivity',
    image: 'docker.io/tombursch/kitchenowl:v0.7.4',
    port: 8080,
    env: { name: 'FRONT_URL', value: 'https://kitchen.home.example.org' },
    volume: '2Gi',
    reachable: 'At home only (internal Gateway)',
    subdomain: 'kitchen',
    secretKey: 'JWT_SECRET_KEY',
    secretValue: canary.github,
    repository: 'home-ops (Flux)',
    forge: 'GitHub (API v3)',
  };
  const { taskId, pullRequest } = await addAppThroughTheForm(
    app,
    'gitops-02-github',
  );
  results.github = { taskId, pullRequest };
  assert.match(
    pullRequest,
    new RegExp(`^${sim.url('forge')}/home-ops/home-ops/pull/\\d+$`),
  );

  const number = Number(pullRequest.split('/').pop());
  const pr = await forge(
    'GET',
    `/api/v3/repos/home-ops/home-ops/pulls/${number}`,
  );
  assert.equal(pr.head.ref, 'homelab/add-kitchenowl');
  // The seeded history writes app arrivals as "feat(<app>): Deploy".
  assert.equal(pr.title, 'feat(kitchenowl): Deploy');
  results.github.number = number;

  const clone = path.join(workDir, 'clone-github');
  await git([
    'clone',
    '--quiet',
    '--branch',
    pr.head.ref,
    `${sim.url('forge')}/home-ops/home-ops.git`,
    clone,
  ]);
  const namespace = kustomize(path.join(clone, 'kubernetes/apps/productivity'));
  assert.ok(
    namespace.some(
      o => o.kind === 'Kustomization' && o.metadata.name === 'kitchenowl',
    ),
  );
  const objects = kustomize(
    path.join(clone, 'kubernetes/apps/productivity/kitchenowl/app'),
  );
  assert.deepEqual(objects.map(o => `${o.kind}/${o.metadata.name}`).sort(), [
    'HelmRelease/kitchenowl',
    'OCIRepository/kitchenowl',
    'SealedSecret/kitchenowl-secret',
  ]);
  const release = objects.find(o => o.kind === 'HelmRelease');
  const container = release.spec.values.controllers.kitchenowl.containers.app;
  assert.deepEqual(container.image, {
    repository: 'docker.io/tombursch/kitchenowl',
    tag: 'v0.7.4',
  });
  assert.deepEqual(container.envFrom, [
    { secretRef: { name: 'kitchenowl-secret' } },
  ]);
  assert.equal(container.env.FRONT_URL, app.env.value);
  assert.deepEqual(release.spec.values.route.app.hostnames, [
    'kitchen.home.example.org',
  ]);
  const sealed = objects.find(o => o.kind === 'SealedSecret');
  assert.match(sealed.spec.encryptedData.JWT_SECRET_KEY, /^A[gQ]/);
});

test('"Add an app", Gitea flavour: a pull request on the Argo CD repository that builds', async () => {
  const app = {
    name: 'miniflux',
    title: 'Miniflux',
    description: 'The family news feeds.',
    namespace: 'productivity',
    category: 'productivity',
    image: 'ghcr.io/miniflux/miniflux:2.2.14',
    port: 8080,
    env: { name: 'BASE_URL', value: 'https://feeds.home.example.org' },
    volume: '1Gi',
    reachable: 'From the internet (external Gateway)',
    subdomain: 'feeds',
    secretKey: 'ADMIN_PASSWORD',
    secretValue: canary.gitea,
    repository: 'k8s-gitops (Argo CD)',
    forge: 'Gitea / Forgejo (API v1)',
  };
  const { taskId, pullRequest } = await addAppThroughTheForm(
    app,
    'gitops-03-gitea',
  );
  results.gitea = { taskId, pullRequest };
  assert.match(
    pullRequest,
    new RegExp(`^${sim.url('forge')}/home-ops/k8s-gitops/pulls/\\d+$`),
  );
  const pr = await forge(
    'GET',
    `/api/v1/repos/home-ops/k8s-gitops/pulls/${pullRequest.split('/').pop()}`,
  );
  assert.equal(pr.head.ref, 'homelab/add-miniflux');
  assert.equal(pr.state, 'open');

  const clone = path.join(workDir, 'clone-gitea');
  await git([
    'clone',
    '--quiet',
    '--branch',
    pr.head.ref,
    `${sim.url('forge')}/home-ops/k8s-gitops.git`,
    clone,
  ]);
  const objects = kustomize(path.join(clone, 'k8s/apps/productivity/miniflux'));
  assert.deepEqual(objects.map(o => `${o.kind}/${o.metadata.name}`).sort(), [
    'Deployment/miniflux',
    'HTTPRoute/miniflux',
    'PersistentVolumeClaim/miniflux',
    'SealedSecret/miniflux-secret',
    'Service/miniflux',
  ]);
  for (const o of objects) assert.equal(o.metadata.namespace, 'productivity');
  const route = objects.find(o => o.kind === 'HTTPRoute');
  assert.deepEqual(route.spec.parentRefs, [
    { name: 'external', namespace: 'kube-system', sectionName: 'https' },
  ]);
  const project = parse(
    fs.readFileSync(
      path.join(clone, 'k8s/apps/productivity/project.yaml'),
      'utf8',
    ),
  );
  assert.ok(
    project.spec.destinations.some(d => d.namespace === 'productivity'),
  );
});

test('the templates run as dry runs: through the API, and in the template editor', async () => {
  const template = name =>
    parse(
      fs.readFileSync(
        path.join(repoRoot, 'templates', name, 'template.yaml'),
        'utf8',
      ),
    );
  const dryRun = (name, values, secrets = {}) =>
    api('POST', '/api/scaffolder/v2/dry-run', {
      template: template(name),
      values,
      secrets,
      directoryContents: [],
    });
  const addApp = await dryRun(
    'add-app',
    {
      name: 'it-tools',
      description: 'Converters and generators.',
      owner: 'group:default/home-admins',
      namespace: 'tools',
      image: 'ghcr.io/corentinth/it-tools:2024.10.22-7ca5933',
      port: 80,
      exposure: 'internal',
      subdomain: 'tools',
      domain: 'home.example.org',
      scope: 'strict',
      secretKey1: 'TOKEN',
      secretValue1: '*****',
      repository: 'home-ops/home-ops',
      forge: 'gitea',
    },
    { secretValue1: canary.dryRun },
  );
  const files = addApp.directoryContents.map(f => f.path).sort();
  assert.ok(
    files.includes(
      'gitops/kubernetes/apps/tools/it-tools/app/sealedsecret.yaml',
    ),
    files.join(),
  );
  assert.ok(files.includes('gitops/kubernetes/apps/tools/kustomization.yaml'));
  const log = addApp.log.map(l => l.body.message).join('\n');
  assert.match(log, /would write kubernetes\/apps\/tools\/it-tools\/ks\.yaml/);
  assert.doesNotMatch(log, /Opened pull request/);

  const secret = await dryRun(
    'add-sealed-secret',
    {
      app: 'component:default/paperless-ngx',
      scope: 'namespace-wide',
      envFrom: true,
      secretKey1: 'PAPERLESS_SECRET_KEY',
      secretValue1: '*****',
      repository: 'home-ops/home-ops',
      forge: 'github',
    },
    { secretValue1: canary.dryRun },
  );
  const secretFiles = secret.directoryContents.map(f => f.path);
  assert.ok(
    secretFiles.includes(
      'gitops/kubernetes/apps/documents/paperless-ngx/app/sealedsecret.yaml',
    ),
  );
  assert.ok(
    secretFiles.includes(
      'gitops/kubernetes/apps/documents/paperless-ngx/app/helmrelease.yaml',
    ),
  );

  // The template editor: load templates/expose-app as a local folder (the
  // File System Access picker answers with a folder in the browser's
  // origin-private file system) and dry-run it from the preview form. The
  // one app without a route is the MQTT broker: the dry run refuses it,
  // saying why, instead of routing HTTPS to a port that speaks MQTT.
  await page.goto(`${portal.baseUrl}/create/edit`);
  await page.getByRole('button', { name: /^Load Template Directory/ }).click();
  await page
    .getByRole('treeitem', { name: 'template.yaml' })
    .waitFor({ timeout: 60_000 });
  await page.getByRole('textbox', { name: 'App' }).fill('mosquitto');
  await page
    .getByRole('option', { name: /mosquitto/i })
    .first()
    .click();
  await page.locator('#root_subdomain').fill('mqtt');
  await next();
  await choose('GitOps repository', 'k8s-gitops (Argo CD)');
  await choose('Open the pull request on', 'Gitea / Forgejo (API v1)');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page
    .getByText(/Service mosquitto port 1883\b.*does not speak HTTP/)
    .first()
    .waitFor({ timeout: 120_000 });
  await screenshot(page, 'gitops-04-template-editor-dry-run-refused');
  // Nothing was pushed by the dry run.
  const branches = await forge(
    'GET',
    '/api/v1/repos/home-ops/k8s-gitops/branches',
  );
  assert.ok(!branches.some(b => b.name === 'homelab/route-mqtt'));
});

test('after the merge the new app is in the catalog, linked from the task', async () => {
  const { number, taskId } = results.github;
  await forge('PUT', `/api/v3/repos/home-ops/home-ops/pulls/${number}/merge`, {
    merge_method: 'merge',
  });
  // The demo config has the catalog read every catalog-info.yaml in the
  // GitOps repositories; nobody registers the new app. Refreshing the
  // repository's location (the entity page's refresh button) only saves
  // waiting for the next processing round.
  const target = `${sim.url(
    'forge',
  )}/home-ops/home-ops/blob/main/**/catalog-info.yaml`;
  const { items: locations } = await api(
    'GET',
    `/api/catalog/entities/by-query?filter=${encodeURIComponent(
      `kind=location,spec.target=${target}`,
    )}`,
  );
  assert.equal(locations.length, 1, `no catalog location reads ${target}`);
  await api('POST', '/api/catalog/refresh', {
    entityRef: `location:default/${locations[0].metadata.name}`,
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const found = await api(
      'GET',
      '/api/catalog/entities/by-name/component/default/kitchenowl',
    ).catch(() => undefined);
    if (found) {
      assert.equal(
        found.metadata.annotations['backstage.io/kubernetes-id'],
        'kitchenowl',
      );
      break;
    }
    if (Date.now() > deadline)
      throw new Error('kitchenowl never reached the catalog');
    await new Promise(r => setTimeout(r, 1000));
  }
  await page.goto(`${portal.baseUrl}/create/tasks/${taskId}`);
  await page
    .getByRole('link', { name: 'The app in the catalog (after the merge)' })
    .click();
  await page
    .getByRole('heading', { name: 'KitchenOwl' })
    .first()
    .waitFor({ timeout: 60_000 });
  await page
    .getByText('Shopping lists and meal planning for the family.')
    .first()
    .waitFor({ timeout: 60_000 });
  await screenshot(page, 'gitops-05-catalog-after-merge');
});

test('the secret values appear nowhere: git history, task logs, backend log, database files, demo homelab', async () => {
  const values = Object.values(canary);
  const leaks = [];
  const check = (where, text) => {
    for (const v of values)
      if (text.includes(v)) leaks.push(`${where} contains ${v}`);
  };

  for (const repo of ['home-ops', 'k8s-gitops']) {
    const mirror = path.join(workDir, `mirror-${repo}`);
    await git([
      'clone',
      '--quiet',
      '--mirror',
      `${sim.url('forge')}/home-ops/${repo}.git`,
      mirror,
    ]);
    check(
      `git history of ${repo}`,
      await git(['log', '--all', '-p', '--format=%H %s%n%b'], mirror),
    );
  }
  for (const { taskId } of [results.github, results.gitea]) {
    const task = await api('GET', `/api/scaffolder/v2/tasks/${taskId}`);
    assert.equal(task.status, 'completed');
    check(`task ${taskId}`, JSON.stringify(task));
    check(
      `log of task ${taskId}`,
      JSON.stringify(
        await api('GET', `/api/scaffolder/v2/tasks/${taskId}/events`),
      ),
    );
  }
  check('backend log', portal.logText());
  const scan = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) scan(full);
      else if (entry.isFile())
        check(full, fs.readFileSync(full).toString('latin1'));
    }
  };
  // Every SQLite file (and journal) of the portal, and the demo homelab's state.
  const sqlite = path.join(workDir, 'data/sqlite');
  assert.ok(fs.readdirSync(sqlite).includes('scaffolder.sqlite'));
  scan(sqlite);
  scan(sim.stateDir);
  assert.deepEqual(leaks, []);
});

test('the backend logged no warnings or errors', () => {
  const problems = portal
    .logText()
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line));
  assert.deepEqual(problems, []);
});
