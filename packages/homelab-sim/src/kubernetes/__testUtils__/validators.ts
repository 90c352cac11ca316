import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import { parse } from 'yaml';
import { crdPath } from '../api/crdRegistry';

/**
 * Validators for what the sim serves: kubernetes-models (v4) for built-in
 * kinds, the upstream CRD schemas the sim serves for custom resources.
 */
const models: Record<string, string> = {
  'v1/Pod': 'kubernetes-models/v1/Pod',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/LimitRange': 'kubernetes-models/v1/LimitRange',
  'v1/ResourceQuota': 'kubernetes-models/v1/ResourceQuota',
  'v1/Event': 'kubernetes-models/v1/Event',
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'v1/Node': 'kubernetes-models/v1/Node',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/v1/ReplicaSet': 'kubernetes-models/apps/v1/ReplicaSet',
  'apps/v1/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
  'apps/v1/DaemonSet': 'kubernetes-models/apps/v1/DaemonSet',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'batch/v1/CronJob': 'kubernetes-models/batch/v1/CronJob',
  'autoscaling/v2/HorizontalPodAutoscaler':
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
  'networking.k8s.io/v1/Ingress':
    'kubernetes-models/networking.k8s.io/v1/Ingress',
};

type Model = { new (data: unknown): { validate(): void } };

/** The kubernetes-models class (`Pod`) or list class (`PodList`) for a kind. */
export function modelFor(apiVersion: string, kind: string): Model | undefined {
  const list = kind.endsWith('List');
  const itemKind = list ? kind.slice(0, -4) : kind;
  const module = models[`${apiVersion}/${itemKind}`];
  if (!module) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(list ? `${module}List` : module);
  return mod[kind];
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** A validator for one version of a CRD the sim serves. */
export function crdValidator(file: string, version: string) {
  const crd = parse(fs.readFileSync(crdPath(file), 'utf8'));
  const v = crd.spec.versions.find((x: { name: string }) => x.name === version);
  const validate = ajv.compile(v.schema.openAPIV3Schema);
  return (object: unknown) => {
    if (!validate(object)) {
      throw new Error(
        `${crd.spec.names.kind} ${version} invalid: ${ajv.errorsText(
          validate.errors,
        )}`,
      );
    }
  };
}
