import fs from 'node:fs';
import { crdPath } from 'homelab-sim';
import { parse } from 'yaml';
import { CrdValidator } from '../lib/route/CrdValidator';
import { Problem } from '../lib/validation/problems';

/**
 * The upstream CRD of each custom resource kind the layouts build: the
 * copies the demo homelab serves (one copy of each in the repository; the
 * HTTPRoute CRD is the one this package ships).
 */
const CRDS: Record<string, [file: string, version: string]> = {
  'helm.toolkit.fluxcd.io/v2/HelmRelease': [
    'helm.toolkit.fluxcd.io_helmreleases.yaml',
    'v2',
  ],
  'source.toolkit.fluxcd.io/v1/OCIRepository': [
    'source.toolkit.fluxcd.io_ocirepositories.yaml',
    'v1',
  ],
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': [
    'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    'v1',
  ],
  'argoproj.io/v1alpha1/Application': [
    'argoproj.io_applications.yaml',
    'v1alpha1',
  ],
  'gateway.networking.k8s.io/v1/HTTPRoute': [
    'gateway.networking.k8s.io_httproutes.yaml',
    'v1',
  ],
};

const validators = new Map<string, CrdValidator>();

/**
 * What the API server would refuse in a custom resource, under its kind's
 * upstream CRD: its openAPIV3Schema (ajv), fields the schema does not have
 * (strict field validation) and the CRD's CEL rules. Empty when valid.
 */
export function crdProblems(object: {
  apiVersion: string;
  kind: string;
}): Problem[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const crd = CRDS[key];
  if (!crd) throw new Error(`no CRD for ${key} in __testUtils__/crds.ts`);
  let validator = validators.get(key);
  if (!validator) {
    validator = new CrdValidator(
      parse(fs.readFileSync(crdPath(crd[0]), 'utf8')),
      crd[1],
    );
    validators.set(key, validator);
  }
  return validator.validate(object).problems;
}
