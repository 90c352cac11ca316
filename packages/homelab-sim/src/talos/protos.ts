import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import protobuf from 'protobufjs';

// The sim runs from source, never bundled: the .proto files sit next to this one.
// eslint-disable-next-line no-restricted-syntax
export const PROTO_DIR = path.join(__dirname, 'proto');

export type TalosServices = {
  machine: grpc.ServiceDefinition;
  state: grpc.ServiceDefinition;
  storage: grpc.ServiceDefinition;
  time: grpc.ServiceDefinition;
};

let cached: TalosServices | undefined;

/** MachineService and cosi State as grpc-js service definitions. */
export function loadTalosServices(): TalosServices {
  if (cached) return cached;
  const definition = protoLoader.loadSync(
    [
      'machine/machine.proto',
      'cosi/state.proto',
      'storage/storage.proto',
      'time/time.proto',
    ],
    {
      includeDirs: [PROTO_DIR],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  );
  const pkg = grpc.loadPackageDefinition(definition) as any;
  cached = {
    machine: pkg.machine.MachineService.service,
    state: pkg.cosi.resource.State.service,
    storage: pkg.storage.StorageService.service,
    time: pkg.time.TimeService.service,
  };
  return cached;
}

let root: protobuf.Root | undefined;

/**
 * Encodes a machine event for `google.protobuf.Any.value` in an Events
 * reply; its type URL is `talos/runtime/machine.<Message>` as Talos sends.
 */
export function packEvent(message: string, value: Record<string, unknown>) {
  root ??= (() => {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) =>
      path.isAbsolute(target) ? target : path.join(PROTO_DIR, target);
    return r.loadSync('machine/machine.proto', { keepCase: true });
  })();
  const type = root.lookupType(`machine.${message}`);
  return {
    type_url: `talos/runtime/machine.${message}`,
    value: Buffer.from(type.encode(type.fromObject(value)).finish()),
  };
}
