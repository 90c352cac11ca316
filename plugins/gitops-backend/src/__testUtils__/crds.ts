import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import { crdPath } from 'homelab-sim';
import { parse } from 'yaml';

/**
 * Upstream CRD schemas (Flux, Argo CD, cert-manager, Gateway API): the
 * files the demo homelab serves, byte for byte upstream's (its fixtures
 * test pins them), read where they are rather than copied.
 */

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

const FILES: Record<string, [string, string]> = {
  Kustomization: ['kustomize.toolkit.fluxcd.io_kustomizations.yaml', 'v1'],
  HelmRelease: ['helm.toolkit.fluxcd.io_helmreleases.yaml', 'v2'],
  Application: ['argoproj.io_applications.yaml', 'v1alpha1'],
  Certificate: ['cert-manager.io_certificates.yaml', 'v1'],
  HTTPRoute: ['gateway.networking.k8s.io_httproutes.yaml', 'v1'],
};

const compiled = new Map<string, (o: unknown) => boolean>();

/** Throws unless `object` is valid under its kind's upstream CRD schema; returns it. */
export function validated<T extends { kind: string }>(object: T): T {
  const [file, version] = FILES[object.kind];
  let validate = compiled.get(object.kind);
  if (!validate) {
    const crd = parse(fs.readFileSync(crdPath(file), 'utf8'));
    const v = crd.spec.versions.find((x: any) => x.name === version);
    validate = ajv.compile(v.schema.openAPIV3Schema);
    compiled.set(object.kind, validate);
  }
  if (!validate(object))
    throw new Error(
      `${object.kind} fixture is not valid: ${ajv.errorsText(
        (validate as any).errors,
      )}`,
    );
  return object;
}
