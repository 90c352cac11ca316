// Wall time of "Add an app" from the moment the form is submitted until the
// pull request exists (and of its dry run), next to upstream's own way of
// doing the same in the same run: `fetch:template` on an equivalent skeleton
// + `publish:github:pull-request`. Both run in the production-build backend
// against the demo homelab's forge (real git repositories).
//
//   node bench/gitops-add-app.mjs [--runs 5]
//
// What each variant does:
// - homelab, GitHub: homelab:app:generate (clones the Flux repo, validates,
//   copies the repo's conventions, edits the namespace kustomization, checks
//   the route against the HTTPRoute CRD incl. CEL) + homelab:secret:seal
//   (certificate from the controller through the Kubernetes API) +
//   publish:github:pull-request;
// - homelab, Gitea: the same with homelab:gitea:pull-request;
// - upstream: fetch:template of a static skeleton with the same five files
//   (no repo reading, no validation, no registration, no secret) +
//   publish:github:pull-request;
// - the dry runs of "homelab" and "upstream" (POST /v2/dry-run, what the
//   template editor calls; the PR steps are skipped or report only).
// Times: POST → task `completed` (polled every 100 ms); dry runs: the request.
// Results go to bench/results/gitops-add-app-<date>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Portal } from '../test/e2e/lib/portal.mjs';
import { Sim } from '../test/e2e/lib/sim.mjs';
import { repoRoot } from '../test/e2e/lib/stage.mjs';
import { median, percentile, round, sleep } from './lib/measure.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-bench-gitops-'));
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

/** The upstream way: a skeleton of the same five files, rendered by fetch:template. */
function writeUpstreamTemplate(dir) {
  const skeleton = path.join(
    dir,
    'skeleton/kubernetes/apps/${{ values.namespace }}/${{ values.name }}',
  );
  fs.mkdirSync(path.join(skeleton, 'app'), { recursive: true });
  const files = {
    'ks.yaml': `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: \${{ values.name }}
spec:
  interval: 1h
  path: ./kubernetes/apps/\${{ values.namespace }}/\${{ values.name }}/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
  targetNamespace: \${{ values.namespace }}
  wait: false
`,
    'app/kustomization.yaml': `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./helmrelease.yaml
  - ./ocirepository.yaml
`,
    'app/ocirepository.yaml': `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: \${{ values.name }}
spec:
  interval: 15m
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    tag: 5.1.0
  url: oci://ghcr.io/bjw-s-labs/helm/app-template
`,
    'app/helmrelease.yaml': `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${{ values.name }}
spec:
  chartRef:
    kind: OCIRepository
    name: \${{ values.name }}
  interval: 1h
  values:
    controllers:
      \${{ values.name }}:
        containers:
          app:
            image:
              repository: \${{ values.repository }}
              tag: \${{ values.tag }}
    route:
      app:
        hostnames:
          - \${{ values.hostname }}
        parentRefs:
          - name: internal
            namespace: kube-system
            sectionName: https
    service:
      app:
        ports:
          http:
            port: \${{ values.port }}
`,
    'catalog-info.yaml': `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: \${{ values.name }}
  description: \${{ values.description }}
spec:
  type: service
  lifecycle: production
  owner: group:default/home-admins
`,
  };
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(skeleton, file), content);
  }
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'bench-upstream-add-app',
      title: 'Bench: upstream add an app',
    },
    spec: {
      owner: 'group:default/home-admins',
      type: 'service',
      parameters: [{ properties: {} }],
      steps: [
        {
          id: 'fetch',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            targetPath: 'gitops',
            values: {
              name: '${{ parameters.name }}',
              namespace: '${{ parameters.namespace }}',
              description: '${{ parameters.description }}',
              repository: '${{ parameters.repository }}',
              tag: '${{ parameters.tag }}',
              hostname: '${{ parameters.hostname }}',
              port: '${{ parameters.port }}',
            },
          },
        },
        {
          id: 'pr',
          action: 'publish:github:pull-request',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            branchName: 'bench/${{ parameters.name }}',
            title: 'feat(${{ parameters.name }}): deploy',
            description: 'Bench',
            sourcePath: 'gitops',
          },
        },
      ],
    },
  };
  fs.writeFileSync(
    path.join(dir, 'template.yaml'),
    JSON.stringify(template, null, 2),
  );
  return template;
}

async function main() {
  await sim.start();
  const host = new URL(sim.url('forge')).host;
  const upstreamDir = path.join(workDir, 'upstream-template');
  fs.mkdirSync(upstreamDir, { recursive: true });
  const upstreamTemplate = writeUpstreamTemplate(upstreamDir);
  const portal = new Portal({
    workDir,
    port: 7021,
    name: 'bench-gitops',
    configFiles: [sim.info.portalConfig],
    env: { NODE_EXTRA_CA_CERTS: sim.info.caFile },
    extraConfig: {
      catalog: {
        locations: [
          { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
          { type: 'file', target: path.join(upstreamDir, 'template.yaml') },
        ],
      },
    },
  });
  const results = {
    runs,
    date: new Date().toISOString(),
    node: process.version,
    variants: {},
  };
  try {
    await portal.start();
    const token = await portal.guestToken();
    const api = async (method, p, body) => {
      const res = await fetch(`${portal.baseUrl}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(`${method} ${p}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    // Both templates in the catalog.
    for (let i = 0; ; i++) {
      const names = (
        await api('GET', '/api/catalog/entities?filter=kind=template')
      ).map(t => t.metadata.name);
      if (names.includes('add-app') && names.includes('bench-upstream-add-app'))
        break;
      if (i > 120) throw new Error(`templates missing: ${names}`);
      await sleep(1000);
    }

    const addAppValues = (name, forge) => ({
      name,
      title: name,
      description: 'Bench app.',
      owner: 'group:default/home-admins',
      namespace: 'productivity',
      image: 'ghcr.io/example/bench:1.0.0',
      port: 8080,
      exposure: 'internal',
      subdomain: name,
      domain: 'home.example.org',
      persistence: { size: '1Gi', mountPath: '/data' },
      scope: 'strict',
      secretKey1: 'TOKEN',
      secretValue1: '*****',
      repository: 'home-ops/home-ops',
      forge,
    });
    const upstreamValues = name => ({
      name,
      namespace: 'productivity',
      description: 'Bench app.',
      repository: 'ghcr.io/example/bench',
      tag: '1.0.0',
      hostname: `${name}.home.example.org`,
      port: 8080,
      repoUrl: `${host}?owner=home-ops&repo=home-ops`,
    });

    /**
     * One task from POST to completion (ms). Per-step times are not reported:
     * the task events' timestamps have one-second resolution on SQLite.
     */
    async function task(templateRef, values, secrets) {
      const started = Date.now();
      const { id } = await api('POST', '/api/scaffolder/v2/tasks', {
        templateRef,
        values,
        secrets,
      });
      for (;;) {
        const t = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
        if (t.status === 'completed') break;
        if (t.status === 'failed') {
          const events = await api(
            'GET',
            `/api/scaffolder/v2/tasks/${id}/events`,
          );
          throw new Error(
            `task failed: ${events.map(e => e.body.message).join('\n')}`,
          );
        }
        await sleep(100);
      }
      return { total: Date.now() - started };
    }
    async function dryRun(template, values, secrets, directoryContents = []) {
      const started = Date.now();
      const out = await api('POST', '/api/scaffolder/v2/dry-run', {
        template,
        values,
        secrets,
        directoryContents,
      });
      return {
        total: Date.now() - started,
        files: out.directoryContents.length,
      };
    }

    const skeletonContents = [];
    const collect = rel => {
      for (const e of fs.readdirSync(path.join(upstreamDir, rel), {
        withFileTypes: true,
      })) {
        const child = path.join(rel, e.name);
        if (e.isDirectory()) collect(child);
        else if (child.startsWith('skeleton')) {
          skeletonContents.push({
            path: child,
            base64Content: fs
              .readFileSync(path.join(upstreamDir, child))
              .toString('base64'),
          });
        }
      }
    };
    collect('');
    const ours = parse(
      fs.readFileSync(
        path.join(repoRoot, 'templates/add-app/template.yaml'),
        'utf8',
      ),
    );
    const secrets = { secretValue1: 'bench-secret-value' };
    const variants = {
      'homelab add-app, GitHub PR': i =>
        task(
          'template:default/add-app',
          addAppValues(`gh${i}`, 'github'),
          secrets,
        ),
      'homelab add-app, Gitea PR': i =>
        task(
          'template:default/add-app',
          addAppValues(`gt${i}`, 'gitea'),
          secrets,
        ),
      'upstream fetch:template + publish:github:pull-request': i =>
        task(
          'template:default/bench-upstream-add-app',
          upstreamValues(`up${i}`),
        ),
      'homelab add-app, dry run': i =>
        dryRun(ours, addAppValues(`dr${i}`, 'gitea'), secrets),
      // The editor sends the template's folder along; here, the skeleton.
      'upstream, dry run': i =>
        dryRun(
          upstreamTemplate,
          upstreamValues(`ud${i}`),
          undefined,
          skeletonContents,
        ),
    };
    for (const [label, fn] of Object.entries(variants)) {
      await fn('warm'); // first run pays for caches and connections
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await fn(String(i)));
      const totals = samples.map(s => s.total);
      results.variants[label] = {
        samples,
        medianMs: median(totals),
        minMs: Math.min(...totals),
        p90Ms: percentile(totals, 90),
      };
      console.log(
        `[bench] ${label}: median ${median(totals)} ms over ${runs} runs`,
      );
    }
  } finally {
    await portal.stop();
    await sim.stop();
  }

  const outDir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(
    outDir,
    `gitops-add-app-${results.date.replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

  console.log(
    `\nAdd an app, wall time from submit to pull request (${runs} runs each, after one warm-up)\n`,
  );
  console.log('| variant | median | min | p90 |');
  console.log('|---|---:|---:|---:|');
  for (const [label, v] of Object.entries(results.variants)) {
    console.log(
      `| ${label} | ${round(v.medianMs / 1000, 2)} s | ${round(
        v.minMs / 1000,
        2,
      )} s | ${round(v.p90Ms / 1000, 2)} s |`,
    );
  }
  console.log(`\n${file}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch(async error => {
  console.error(error);
  await sim.stop();
  process.exit(1);
});
