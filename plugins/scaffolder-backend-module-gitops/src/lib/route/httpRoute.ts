import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';
import { CrdValidator } from './CrdValidator';

/** The Gateway listener an app's route attaches to (from config). */
export type GatewayRef = {
  name: string;
  namespace: string;
  sectionName?: string;
};

export type HttpRouteSpecInput = {
  name: string;
  /** omitted in Flux layouts (the Kustomization's targetNamespace sets it) */
  namespace?: string;
  hostnames: string[];
  gateway: GatewayRef;
  backend: { name: string; port: number };
  pathPrefix?: string;
  labels?: Record<string, string>;
  /** spell out the default `PathPrefix /` match (false: leave it to the CRD default) */
  matches?: boolean;
};

/** An HTTPRoute (gateway.networking.k8s.io/v1) for one app's Service. */
export function buildHttpRoute(input: HttpRouteSpecInput) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: input.name,
      ...(input.namespace && { namespace: input.namespace }),
      ...(input.labels && { labels: input.labels }),
    },
    spec: {
      parentRefs: [
        {
          name: input.gateway.name,
          namespace: input.gateway.namespace,
          ...(input.gateway.sectionName && {
            sectionName: input.gateway.sectionName,
          }),
        },
      ],
      hostnames: input.hostnames,
      rules: [
        {
          ...(input.matches !== false || (input.pathPrefix ?? '/') !== '/'
            ? {
                matches: [
                  {
                    path: {
                      type: 'PathPrefix',
                      value: input.pathPrefix ?? '/',
                    },
                  },
                ],
              }
            : {}),
          backendRefs: [{ name: input.backend.name, port: input.backend.port }],
        },
      ],
    },
  };
}

let cached: CrdValidator | undefined;

/** The validator for HTTPRoute v1, from the Gateway API v1.5.1 CRD shipped in crds/. */
export function httpRouteValidator(): CrdValidator {
  if (!cached) {
    const file = resolvePackagePath(
      '@homelab-portal/plugin-scaffolder-backend-module-gitops',
      'crds/gateway.networking.k8s.io_httproutes.yaml',
    );
    cached = new CrdValidator(parse(fs.readFileSync(file, 'utf8')), 'v1');
  }
  return cached;
}
