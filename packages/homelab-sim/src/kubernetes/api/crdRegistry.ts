import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The CustomResourceDefinitions the simulated cluster has installed: every
 * upstream CRD file in `../crds/`, and the ones it reads from the package
 * that ships them (SHIPPED_CRDS). A CRD file is all a kind needs to be
 * served like apiextensions-apiserver serves it: discovery, Table columns
 * from `additionalPrinterColumns`, its schema in /openapi and validation of
 * created objects. Its objects come from a builder in `cluster/`.
 */
export type PrinterColumn = {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
};

export type CrdVersion = {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  additionalPrinterColumns?: PrinterColumn[];
  subresources?: { status?: object; scale?: object };
};

export type CrdDefinition = {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: {
      plural: string;
      singular: string;
      kind: string;
      listKind: string;
      shortNames?: string[];
      categories?: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
  };
};

// The sim always runs from source (never bundled), so __dirname is reliable here.
// eslint-disable-next-line no-restricted-syntax
export const CRD_DIR = path.resolve(__dirname, '../crds');

/**
 * CRDs the sim serves from the package that ships them rather than from a
 * copy of its own, so the repository holds one copy of each: the HTTPRoute
 * CRD is the file the published scaffolder module validates generated
 * routes against at run time (it must ship it, in its `crds/`), and the sim
 * serves those very bytes. The dependency points from the sim to a
 * package's shipped data, never to a plugin's source.
 */
const SHIPPED_CRDS = [
  require.resolve(
    '@homelab-portal/plugin-scaffolder-backend-module-gitops/crds/gateway.networking.k8s.io_httproutes.yaml',
  ),
];

/** The path of every CRD file the sim serves, by file name. */
function crdFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of fs.readdirSync(CRD_DIR).filter(f => f.endsWith('.yaml')))
    files.set(file, path.join(CRD_DIR, file));
  for (const shipped of SHIPPED_CRDS)
    files.set(path.basename(shipped), shipped);
  return new Map([...files.keys()].sort().map(f => [f, files.get(f)!]));
}

/**
 * The path of a CRD file the sim serves (`gateway.networking.k8s.io_gateways.yaml`),
 * for tests that validate objects against the same upstream schema.
 */
export function crdPath(file: string): string {
  const found = crdFiles().get(file);
  if (!found) throw new Error(`the sim serves no CRD file ${file}`);
  return found;
}

let loaded: { file: string; crd: CrdDefinition }[] | undefined;

/** Every CRD the sim serves (`../crds/` and SHIPPED_CRDS), parsed once. */
export function installedCrds(): { file: string; crd: CrdDefinition }[] {
  loaded ??= [...crdFiles()].map(([file, filePath]) => {
    const crd = parse(fs.readFileSync(filePath, 'utf8')) as CrdDefinition;
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names) {
      throw new Error(
        `${filePath} is not a CustomResourceDefinition (kind, spec.names)`,
      );
    }
    return { file, crd };
  });
  return loaded;
}

/**
 * Printer columns of a CRD version as apiextensions-apiserver builds its
 * Table: Name first, then the CRD's columns; a CRD without columns gets Age.
 */
export function printerColumnsOf(version: CrdVersion): PrinterColumn[] {
  return version.additionalPrinterColumns?.length
    ? version.additionalPrinterColumns
    : [
        {
          name: 'Age',
          type: 'date',
          jsonPath: '.metadata.creationTimestamp',
        },
      ];
}
