import { GatewayRef } from '../route/httpRoute';
import { ImageReference } from '../validation/image';

export type LayoutName = 'flux' | 'argocd';

/** A validated request for a new app. */
export type AppSpec = {
  name: string;
  title: string;
  description: string;
  owner: string;
  system?: string;
  namespace: string;
  /** Argo CD layout: the category folder under k8s/apps */
  category?: string;
  image: ImageReference;
  port: number;
  hostname?: string;
  gateway?: GatewayRef;
  persistence?: {
    size: string;
    mountPath: string;
    storageClass?: string;
  };
  env: Array<{ name: string; value: string }>;
  /** the Secret (sealed by homelab:secret:seal) the container reads with envFrom */
  secretName?: string;
  /** instead of a sealed Secret: an ExternalSecret reading this key of the repository's store */
  externalSecret?: { key: string; keys?: string[] };
  timezone?: string;
  /** web address of the repo folder for backstage.io/source-location */
  sourceLocation?: (path: string) => string;
};

export type PlannedFile = {
  path: string;
  content: string;
  /** create = new file, update = edited in place */
  action: 'create' | 'update';
  /** why the file changes, for the pull request (edits: what was registered) */
  reason?: string;
};

export type AppPlan = {
  layout: LayoutName;
  /** folder of the app in the repo */
  appPath: string;
  /** kustomization.yaml that lists the app's manifests (secrets are added here) */
  kustomizationPath: string;
  /** folder where a SealedSecret for this app goes */
  manifestsPath: string;
  files: PlannedFile[];
  namespaceCreated: boolean;
  chartVersion?: string;
  catalogInfoPath: string;
  /** the HTTPRoute the cluster will get (raw, or what app-template renders) */
  route?: Record<string, unknown>;
  /** each choice taken from the repository, with its count ("follows 31 of 38 …") */
  notes: string[];
};

export type FluxLayoutConfig = {
  appsPath: string;
  chartUrl: string;
  /** used only when no app in the repo uses the chart yet */
  defaultChartVersion?: string;
};

export type ArgoLayoutConfig = {
  appsPath: string;
};

export const SCHEMAS = {
  kustomization: 'https://json.schemastore.org/kustomization',
  fluxKustomization:
    'https://k8s-schemas.home-operations.com/kustomize.toolkit.fluxcd.io/kustomization_v1.json',
  ocirepository:
    'https://k8s-schemas.home-operations.com/source.toolkit.fluxcd.io/ocirepository_v1.json',
  helmrelease:
    'https://raw.githubusercontent.com/bjw-s-labs/helm-charts/main/charts/other/app-template/schemas/helmrelease-helm-v2.schema.json',
};
