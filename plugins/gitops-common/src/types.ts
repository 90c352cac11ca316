import type { CertificateLevel } from './certificates';
import type { UpdateType } from './renovate';

/**
 * What the GitOps backend answers and the frontend renders. Times are ISO
 * strings. Every answer carries `checkedAt` (when its sources were read) and
 * `errors` (the sources that could not be read, each named), so a view shows
 * what it has, how old it is, and what is missing.
 */

/** A source the backend reads. @public */
export type GitopsSource = 'forge' | 'cluster' | 'catalog';

/** @public */
export type SourceError = { source: GitopsSource; message: string };

/** @public */
export type GitopsLink = { title: string; url: string };

/** @public */
export type StepState = 'done' | 'in-progress' | 'failed' | 'pending';

/** The stages of "is my change live?", in order. @public */
export type DeliveryStepId =
  | 'pull-request'
  | 'reconcile'
  | 'workload'
  | 'route';

/** @public */
export type DeliveryStep = {
  id: DeliveryStepId;
  title: string;
  state: StepState;
  /** One line: what happened, or what failed and why. */
  message: string;
  /** When the step last changed. */
  at?: string;
  links: GitopsLink[];
  /** Facts to show next to the step (revision, replicas, conditions). */
  facts: { label: string; value: string }[];
};

/** @public */
export type AppDelivery = {
  app: string;
  namespace?: string;
  /** The catalog entity, when one describes the app. */
  entityRef?: string;
  repository?: string;
  engine?: 'flux' | 'argocd';
  steps: DeliveryStep[];
  /** The first step that failed, if one did. */
  failingStep?: DeliveryStepId;
  /** done = live; in-progress = on its way; failed; pending = nothing deployed yet. */
  state: StepState;
};

/** @public */
export type DeliveryList = {
  apps: AppDelivery[];
  checkedAt: string;
  errors: SourceError[];
};

/** @public */
export type CertificateView = {
  name: string;
  namespace: string;
  dnsNames: string[];
  /** Route host names this certificate serves (through a Gateway listener, or by name). */
  hostnames: string[];
  /** Apps (kubernetes ids) the certificate serves. */
  apps: string[];
  ready: boolean;
  reason: string;
  message: string;
  issuer: string;
  notAfter?: string;
  renewalTime?: string;
  daysLeft?: number;
  /** The last issuance failure, while renewal keeps failing. */
  failure?: string;
  level: CertificateLevel;
};

/** @public */
export type CertificateList = {
  certificates: CertificateView[];
  checkedAt: string;
  errors: SourceError[];
};

/** @public */
export type PendingUpdate = {
  repository: string;
  number: number;
  title: string;
  url: string;
  /** Apps whose folders the pull request touches. */
  apps: string[];
  depName: string;
  from?: string;
  to: string;
  updateType: UpdateType;
  createdAt: string;
};

/** @public */
export type OpenPull = {
  repository: string;
  number: number;
  title: string;
  url: string;
  author: string;
  createdAt: string;
  renovate: boolean;
};

/** @public */
export type UpdateList = {
  updates: PendingUpdate[];
  /** Every open pull request of the GitOps repositories (awaiting merge). */
  pulls: OpenPull[];
  checkedAt: string;
  errors: SourceError[];
};

/** @public */
export type DriftKind =
  | 'unowned-guest'
  | 'app-without-entity'
  | 'entity-without-workload'
  | 'unlinked-route'
  | 'node-without-vm';

/** @public */
export type DriftItem = {
  kind: DriftKind;
  /** What drifted: a guest, an app, a host name, a node. */
  subject: string;
  /** Where it was found and why it counts as drift. */
  detail: string;
  /** What to do about it. */
  action: GitopsLink;
};

/** @public */
export type DriftReport = {
  items: DriftItem[];
  checkedAt: string;
  errors: SourceError[];
};

/** An HTTPRoute or Gateway with its status conditions, for the Kubernetes tab. @public */
export type RouteStatus = {
  kind: 'HTTPRoute' | 'Gateway';
  name: string;
  namespace: string;
  hostnames: string[];
  /** Per parent (HTTPRoute) or per listener (Gateway). */
  parents: {
    name: string;
    conditions: {
      type: string;
      status: string;
      reason: string;
      message: string;
    }[];
  }[];
};

/** @public */
export type RouteStatusList = {
  routes: RouteStatus[];
  checkedAt: string;
  errors: SourceError[];
};
