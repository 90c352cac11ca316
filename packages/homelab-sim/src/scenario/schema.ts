import { z } from 'zod';
import { accountSchema, rbacObjectSchema } from './rbacSchema';

/**
 * The one file that describes the demo household. Every simulated API derives
 * its answers from this, so the Proxmox view, the Talos view, the Kubernetes
 * tab and the GitOps repository agree with each other.
 */
const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase DNS-1123 label');

export const storageSchema = z.object({
  id: z.string(),
  type: z.enum(['dir', 'lvmthin', 'lvm', 'zfspool', 'nfs', 'cifs', 'pbs']),
  content: z.array(z.string()),
  totalGiB: z.number().positive(),
  usedGiB: z.number().nonnegative(),
  shared: z.boolean().default(false),
});

export const proxmoxNodeSchema = z.object({
  name,
  ip: z.string(),
  cpuModel: z.string(),
  cpus: z.number().int().positive(),
  memoryGiB: z.number().positive(),
  rootfsGiB: z.number().positive(),
  kernel: z.string(),
  pveVersion: z.string(),
  storage: z.array(storageSchema),
  /** An offline node answers nothing; its guests show `unknown` (proxmox). */
  online: z.boolean().default(true),
});

export const guestSchema = z.object({
  vmid: z.number().int().min(100).max(999999999),
  type: z.enum(['qemu', 'lxc']),
  name,
  node: name,
  status: z.enum(['running', 'stopped', 'paused']).default('running'),
  template: z.boolean().default(false),
  cores: z.number().int().positive(),
  memoryGiB: z.number().positive(),
  diskGiB: z.number().positive(),
  tags: z.array(z.string()).default([]),
  ip: z.string().optional(),
  mac: z
    .string()
    .regex(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/, 'upper-case MAC address'),
  /** SMBIOS UUID (qemu `smbios1: uuid=`); Talos reports it as the system UUID. */
  smbiosUuid: z.string().uuid().optional(),
  guestAgent: z.boolean().default(false),
  ostype: z.string(),
  description: z.string().optional(),
  /** Typical CPU load 0..1 the series move around. */
  load: z.number().min(0).max(1).default(0.1),
  /** Days since the last successful backup; absent = never backed up. */
  lastBackupDaysAgo: z.number().nonnegative().optional(),
  backupStorage: z.string().optional(),
});

export const talosNodeSchema = z.object({
  hostname: name,
  vmid: z.number().int(),
  role: z.enum(['controlplane', 'worker']),
  ip: z.string(),
  /** This node's Talos version when it differs from the cluster's (mid-upgrade). */
  talosVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/)
    .optional(),
  /** Talos services the demo shows as failed on this node (e.g. `kubelet`). */
  failedServices: z.array(z.string()).default([]),
});

export const appSchema = z.object({
  name,
  namespace: name,
  /** Catalog entity name the workload is labelled for (backstage.io/kubernetes-id). */
  kubernetesId: name,
  image: z.string(),
  replicas: z.number().int().nonnegative().default(1),
  port: z.number().int().min(1).max(65535),
  kind: z
    .enum(['Deployment', 'StatefulSet', 'DaemonSet'])
    .default('Deployment'),
  /** Host name below the household domain, when the app has a route. */
  hostname: z.string().optional(),
  gateway: z.enum(['external', 'internal']).default('internal'),
  /** What the pods are doing in the demo. */
  health: z
    .enum(['healthy', 'crashloop', 'pending', 'image-pull-error'])
    .default('healthy'),
  cpuMillicores: z.number().int().positive().default(50),
  memoryMiB: z.number().int().positive().default(256),
  node: name.optional(),
  cronJob: z.object({ name, schedule: z.string() }).optional(),
  /** A HorizontalPodAutoscaler (autoscaling/v2, CPU utilization) for the workload (kubernetes). */
  autoscaling: z
    .object({
      minReplicas: z.number().int().positive().default(1),
      maxReplicas: z.number().int().positive(),
      targetCPUUtilizationPercentage: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(80),
    })
    .refine(a => a.maxReplicas >= a.minReplicas, {
      message: 'maxReplicas must be at least minReplicas',
    })
    .optional(),
});

const semverTag = z.string().regex(/\d+\.\d+/, 'a version tag like 1.2.3');

/**
 * How Flux and Argo CD deliver the GitOps repositories in the demo, cert-manager's
 * certificates, and the Renovate pull requests waiting in the forge.
 */
export const gitopsSchema = z
  .object({
    /** A merged change is applied, then installed and ready, this long after the engine fetched it. */
    reconcileDelaySeconds: z.number().nonnegative().default(20),
    /** How often the engines poll the repositories (a merge in the forge also wakes them at once). */
    sourceIntervalSeconds: z.number().positive().default(60),
    /** Apps whose last change the engines fail to apply, with the API server's error. */
    failing: z.array(z.object({ app: name, error: z.string() })).default([]),
    /** cert-manager Certificates; a Gateway's listener certificate is one of them. */
    certificates: z
      .array(
        z.object({
          name,
          namespace: name,
          dnsNames: z.array(z.string()).min(1),
          issuer: name.default('letsencrypt-production'),
          /** Catalog entity the Certificate is labelled for (backstage.io/kubernetes-id). */
          kubernetesId: name.optional(),
          /** Days until notAfter; absent = never issued. */
          daysLeft: z.number().optional(),
          /** Why the last issuance failed (the CertificateRequest's message), when it did. */
          failure: z.string().optional(),
        }),
      )
      .default([]),
    /** Open Renovate pull requests, seeded with the repositories. */
    renovate: z
      .array(
        z.object({
          repository: name,
          /** The app folder whose image the pull request bumps. */
          app: name,
          tag: semverTag,
        }),
      )
      .default([]),
  })
  .prefault({});

export const scenarioSchema = z.object({
  seed: z.number().int().default(1),
  household: z.object({
    domain: z.string(),
    timezone: z.string().default('Europe/Paris'),
  }),
  proxmox: z.object({
    instance: name,
    clusterName: z.string().optional(),
    nodes: z.array(proxmoxNodeSchema).min(1),
    guests: z.array(guestSchema),
    /**
     * Real pveproxy delays every failed authentication by 3 s; tests may
     * shorten it.
     */
    authFailureDelayMs: z.number().int().nonnegative().default(3000),
    /**
     * How long power tasks run, ms, by action (default: start 3000, stop
     * 1500, shutdown 5000, reboot 6000); tests may shorten them.
     */
    powerTaskMs: z
      .object({
        start: z.number().int().positive(),
        stop: z.number().int().positive(),
        shutdown: z.number().int().positive(),
        reboot: z.number().int().positive(),
      })
      .partial()
      .optional(),
    /**
     * Adds generated nodes and guests on top of the ones above (benchmarks:
     * e.g. 20 nodes and 5,000 guests). Same seed, same homelab.
     */
    generate: z
      .object({
        nodes: z.number().int().positive().max(64),
        guests: z.number().int().nonnegative().max(100000),
      })
      .optional(),
    /**
     * API tokens and their ACLs. Default: `backstage@pve!catalog` with
     * PVEAuditor on `/`, and `backstage@pve!power` with PVEAuditor on `/`
     * plus VM.PowerMgmt on `/vms`.
     */
    tokens: z
      .array(
        z.object({
          id: z
            .string()
            .regex(
              /^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/,
              'user@realm!tokenid',
            ),
          /** File name of the secret in `<state>/proxmox/`. */
          file: name,
          acl: z.array(
            z.object({
              path: z.string().startsWith('/'),
              /** A built-in role (PVEAuditor, PVEVMUser, PVEDatastoreAdmin, ...) */
              role: z.string().optional(),
              privs: z.array(z.string()).default([]),
            }),
          ),
        }),
      )
      .optional(),
  }),
  talos: z.object({
    clusterName: name,
    talosVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
    kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
    endpoint: z.string(),
    nodes: z.array(talosNodeSchema).min(1),
    /** What the simulated Image Factory's `GET /versions` lists (pre-releases included, as upstream). */
    factoryVersions: z.array(z.string()).default([]),
    /** Kubernetes releases the demo portal is told about for upgrade advice. */
    kubernetesReleases: z.array(z.string()).default([]),
  }),
  kubernetes: z.object({
    gateways: z.array(
      z.object({
        name,
        namespace: name,
        sectionName: z.string(),
        /** Secret of the HTTPS listener's certificate; default `<domain with dashes>-tls`. */
        certificateSecret: name.optional(),
      }),
    ),
    sealedSecrets: z.object({
      namespace: name.default('kube-system'),
      serviceName: name.default('sealed-secrets-controller'),
      port: z.number().int().default(8080),
    }),
    apps: z.array(appSchema),
    /**
     * Bearer tokens the API server accepts, by account name. `portal` is the
     * one the portal's config gets (`<state>/kubernetes/token`).
     */
    accounts: z
      .record(z.string(), accountSchema)
      .refine(a => 'portal' in a, { message: 'needs a "portal" account' }),
    /**
     * RBAC objects on top of the API server's bootstrap ClusterRoles
     * (cluster-admin, admin, edit, view, system:discovery, system:basic-user).
     */
    rbac: z.array(rbacObjectSchema).default([]),
    /** The household's SealedSecrets; the controller unseals them into Secrets. */
    secrets: z
      .array(
        z.object({
          name,
          namespace: name,
          keys: z.array(z.string().regex(/^[-._a-zA-Z0-9]+$/)).min(1),
          /** Sealed with a key the controller does not hold: it cannot unseal it. */
          foreignKey: z.boolean().default(false),
        }),
      )
      .default([]),
  }),
  forge: z.object({
    owner: name,
    repositories: z.array(
      z.object({
        name,
        layout: z.enum(['flux', 'argocd']),
        defaultBranch: z.string().default('main'),
        description: z.string().optional(),
      }),
    ),
    /**
     * Forge accounts. Commits whose e-mail matches link to the account; the
     * seeded history is written by the people here.
     */
    users: z
      .array(
        z.object({
          login: name,
          name: z.string(),
          email: z.string().email(),
          /** A machine account (shown as a bot; never authors seeded history). */
          bot: z.boolean().default(false),
        }),
      )
      .default([
        {
          login: 'homelab-portal',
          name: 'HomeLab Portal',
          email: 'portal@home.example.org',
          bot: true,
        },
      ]),
    /** The account `<state>/forge/token` (write) and `forge/read-token` (read) act as. */
    tokenUser: name.default('homelab-portal'),
    /**
     * GitHub API rate limits, enforced as github.com does (403 once the
     * hourly window is used up, 429 with Retry-After past the per-minute
     * limit on content-creating requests). Lower them to try a client's
     * rate-limit handling.
     */
    rateLimits: z
      .object({
        core: z.number().int().positive().default(5000),
        anonymous: z.number().int().positive().default(60),
        graphql: z.number().int().positive().default(5000),
        contentPerMinute: z.number().int().positive().default(80),
        /** Length of the secondary limit's window (GitHub: "at least one minute"). */
        secondaryWindowSeconds: z.number().int().positive().default(60),
      })
      .prefault({}),
    /** bjw-s app-template chart version the seeded Flux repository pins. */
    appTemplateVersion: z.string().default('5.1.0'),
    /**
     * Namespaces that hold the household's apps: their workloads are seeded
     * into the GitOps repositories (the platform namespaces are not).
     * Absent: every app of `kubernetes.apps`.
     */
    appNamespaces: z.array(name).optional(),
  }),
  gitops: gitopsSchema,
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type GitopsScenario = Scenario['gitops'];
export type Guest = z.infer<typeof guestSchema>;
export type App = z.infer<typeof appSchema>;
export type TalosNodeSpec = z.infer<typeof talosNodeSchema>;
