import { z } from 'zod';

/**
 * The COSI resource types the portal reads (`talosctl get <type>`), each with
 * the part of its YAML spec the portal uses. Talos adds fields between
 * releases and leaves many empty, so everything but the identity is optional
 * and unknown fields pass through unread.
 */
export type CosiType<S extends z.ZodTypeAny> = {
  namespace: string;
  type: string;
  spec: S;
};

const cosiType = <S extends z.ZodTypeAny>(
  namespace: string,
  type: string,
  spec: S,
): CosiType<S> => ({ namespace, type, spec });

const text = z.string().nullish();
const flag = z.boolean().nullish();
const size = z.union([z.number(), z.string()]).nullish();

export const MachineStatuses = cosiType(
  'runtime',
  'MachineStatuses.runtime.talos.dev',
  z.object({
    stage: text,
    status: z
      .object({
        ready: flag,
        unmetConditions: z
          .array(z.object({ name: z.string(), reason: text }))
          .nullish(),
      })
      .nullish(),
  }),
);

export const VolumeStatuses = cosiType(
  'runtime',
  'VolumeStatuses.block.talos.dev',
  z.object({
    phase: text,
    location: text,
    mountLocation: text,
    size,
    filesystem: text,
  }),
);

export const Diagnostics = cosiType(
  'runtime',
  'Diagnostics.runtime.talos.dev',
  z.object({ message: text, details: z.array(z.string()).nullish() }),
);

/** The spec of a MachineType is the bare role string. */
export const MachineTypes = cosiType(
  'config',
  'MachineTypes.config.talos.dev',
  z.string().nullish(),
);

export const Nodenames = cosiType(
  'k8s',
  'Nodenames.kubernetes.talos.dev',
  z.object({ nodename: text }),
);

export const SystemInformations = cosiType(
  'hardware',
  'SystemInformations.hardware.talos.dev',
  z.object({ uuid: text, manufacturer: text, productName: text }),
);

export const Disks = cosiType(
  'runtime',
  'Disks.block.talos.dev',
  z.object({
    dev_path: text,
    size,
    model: text,
    serial: text,
    transport: text,
    rotational: flag,
    readonly: flag,
    cdrom: flag,
  }),
);

export const SystemDisks = cosiType(
  'runtime',
  'SystemDisks.block.talos.dev',
  z.object({ diskID: text }),
);

export const LinkStatuses = cosiType(
  'network',
  'LinkStatuses.net.talos.dev',
  z.object({ type: text, hardwareAddr: text, permanentAddr: text }),
);

export const NodeAddresses = cosiType(
  'network',
  'NodeAddresses.net.talos.dev',
  z.object({ addresses: z.array(z.string()).nullish() }),
);

export const ExtensionStatuses = cosiType(
  'runtime',
  'ExtensionStatuses.runtime.talos.dev',
  z.object({
    metadata: z.object({ name: text, version: text }).nullish(),
  }),
);

export const ImageFactorySchematics = cosiType(
  'runtime',
  'ImageFactorySchematics.runtime.talos.dev',
  z.object({ schematicId: text }),
);

/** Talos 1.14+: the kubelet image any role may read. */
export const KubeletStatuses = cosiType(
  'k8s',
  'KubeletStatuses.kubernetes.talos.dev',
  z.object({ image: text }),
);

/** Before 1.14: the same image, but the resource is sensitive (os:admin). */
export const KubeletSpecs = cosiType(
  'k8s',
  'KubeletSpecs.kubernetes.talos.dev',
  z.object({ image: text }),
);

export const StaticPods = cosiType(
  'k8s',
  'StaticPods.kubernetes.talos.dev',
  z.object({
    spec: z
      .object({
        containers: z.array(z.object({ image: text })).nullish(),
      })
      .nullish(),
  }),
);

export const StaticPodStatuses = cosiType(
  'k8s',
  'StaticPodStatuses.kubernetes.talos.dev',
  z.object({}).passthrough(),
);

export const Members = cosiType(
  'cluster',
  'Members.cluster.talos.dev',
  z.object({ addresses: z.array(z.string()).nullish() }),
);
