// The portal as a newcomer meets it after `script/start`: sign in, find an
// app, see the platform's graph, read the architecture docs with a drawn
// diagram, restart and find the same catalog. Real backend (production build)
// on the demo homelab, real SQLite files, Debian Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Portal } from './lib/portal.mjs';
import { launchBrowser, screenshot, signInAsGuest } from './lib/browser.mjs';
import { Sim } from './lib/sim.mjs';

const workDir = fs.mkdtempSync(
  path.join(os.tmpdir(), 'homelab-e2e-foundation-'),
);
const sim = new Sim({ stateDir: path.join(workDir, 'sim') });
let portal;
let browser;
let page;

before(async () => {
  await sim.start();
  portal = Portal.forSim(sim, { workDir, port: 7017, name: 'foundation' });
  await portal.start();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await sim.stop();
});

/** Every entity ref in the catalog, through the same API the frontend uses. */
async function catalogRefs() {
  const items = await portal.apiGet(
    '/api/catalog/entities?fields=kind,metadata.namespace,metadata.name',
  );
  return items
    .map(e =>
      `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase(),
    )
    .sort();
}

async function waitFor(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** The catalog is read from files at start; wait until the household is in. */
async function waitForCatalog(minimum) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const refs = await catalogRefs();
    if (refs.length >= minimum || Date.now() > deadline) return refs;
    await new Promise(r => setTimeout(r, 1000));
  }
}

test('signs in as guest and lands on the HomeLab home page', async () => {
  // The apps card reads the catalog once, at page load: on a busy machine the
  // first ingestion can still be running when the backend answers.
  await waitForCatalog(50);
  await signInAsGuest(page, portal.baseUrl);
  await page.getByText('Welcome home').waitFor({ timeout: 60_000 });
  // The household apps card lists apps with their addresses.
  await page.getByRole('link', { name: 'Immich' }).waitFor({ timeout: 60_000 });
  assert.match(await page.title(), /HomeLab Portal/);
  await screenshot(page, '01-home');
});

test('finds an app in the catalog and opens it', async () => {
  const components = (await waitForCatalog(50)).filter(r =>
    r.startsWith('component:'),
  );
  assert.ok(
    components.length >= 15,
    `expected at least 15 components, saw ${components.length}`,
  );
  await page.goto(
    `${portal.baseUrl}/catalog?filters[kind]=component&filters[user]=all`,
  );
  await page.getByPlaceholder('Search').fill('immich');
  await page.getByRole('link', { name: 'Immich' }).first().click();
  await page.getByRole('heading', { name: 'Immich' }).first().waitFor();
  await page
    .getByText('media-library')
    .or(page.getByText('Media library'))
    .first()
    .waitFor();
  await screenshot(page, '02-catalog-app');
});

test('shows the platform graph of system:homelab', async () => {
  await page.goto(`${portal.baseUrl}/catalog/default/system/homelab`);
  await page
    .getByRole('heading', { name: 'HomeLab platform' })
    .first()
    .waitFor({ timeout: 60_000 });
  const graph = page.locator('svg#dependency-graph');
  await graph.waitFor({ timeout: 60_000 });
  // Nodes are drawn for the cluster, a Talos VM and an external dependency.
  for (const node of [
    'Kubernetes cluster (Talos)',
    'talos-cp-1 (VM 100)',
    'Cloudflare',
  ]) {
    await graph
      .getByText(node, { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
  }
  await screenshot(page, '03-system-graph');
});

test('renders the architecture docs with mermaid diagrams as SVG', async () => {
  // The backend prebuilds the docs after start; a reader arriving earlier sees
  // the build progress instead. Wait for the prebuilt site like a patient user.
  await waitFor(async () => {
    try {
      await portal.apiGet(
        '/api/techdocs/metadata/techdocs/default/system/homelab',
      );
      return true;
    } catch {
      return false;
    }
  }, 'the prebuilt docs of system:homelab');
  await page.goto(
    `${portal.baseUrl}/docs/default/system/homelab/container-architecture/`,
  );
  await page
    .getByRole('heading', { name: /container/i })
    .first()
    .waitFor({ timeout: 120_000 });
  // The addon replaces each <pre class="mermaid"> with a div holding an SVG.
  const diagram = page.locator('div.mermaid svg');
  await diagram.first().waitFor({ timeout: 60_000 });
  assert.ok((await diagram.count()) >= 2, 'each diagram on the page is drawn');
  await diagram.first().scrollIntoViewIfNeeded();
  await screenshot(page, '04-techdocs-mermaid');
});

test('keeps the catalog across a backend restart', async () => {
  const before = await catalogRefs();
  const dbFile = path.join(workDir, 'data/sqlite/catalog.sqlite');
  assert.ok(
    fs.existsSync(dbFile),
    'the catalog lives in a SQLite file, not in memory',
  );

  await portal.restart();
  // Straight after the restart, before any location is read again, the
  // catalog answers with what the database kept.
  assert.deepEqual(await catalogRefs(), before);
  await page.goto(
    `${portal.baseUrl}/catalog?filters[kind]=resource&filters[user]=all`,
  );
  await page
    .getByRole('link', { name: 'Kubernetes cluster (Talos)' })
    .first()
    .waitFor({ timeout: 60_000 });
  await screenshot(page, '05-after-restart');
});

test('the backend logged no warnings or errors', () => {
  const problems = portal
    .logText()
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line));
  assert.deepEqual(problems, []);
});
