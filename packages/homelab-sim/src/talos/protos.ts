import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';

// The sim runs from source, never bundled: the .proto files sit next to this one.
// eslint-disable-next-line no-restricted-syntax
export const PROTO_DIR = path.join(__dirname, 'proto');

export type TalosServices = {
  machine: grpc.ServiceDefinition;
  state: grpc.ServiceDefinition;
};

let cached: TalosServices | undefined;

/** MachineService and cosi State as grpc-js service definitions. */
export function loadTalosServices(): TalosServices {
  if (cached) return cached;
  const definition = protoLoader.loadSync(
    ['machine/machine.proto', 'cosi/state.proto'],
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
  };
  return cached;
}
