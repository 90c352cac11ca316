import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The CustomResourceDefinitions the simulated cluster has installed: every
 * upstream CRD file in `../crds/`. A CRD file is all a kind needs to be
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

let loaded: { file: string; crd: CrdDefinition }[] | undefined;

/** Every CRD file of `../crds/`, parsed once. */
export function installedCrds(): { file: string; crd: CrdDefinition }[] {
  loaded ??= fs
    .readdirSync(CRD_DIR)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(file => {
      const crd = parse(
        fs.readFileSync(path.join(CRD_DIR, file), 'utf8'),
      ) as CrdDefinition;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec?.names) {
        throw new Error(
          `${path.join(
            CRD_DIR,
            file,
          )} is not a CustomResourceDefinition (kind, spec.names)`,
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
