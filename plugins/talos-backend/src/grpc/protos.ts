import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** Loader options shared by the client and the decoding tests. */
export const PROTO_OPTIONS: protoLoader.Options = {
  keepCase: true,
  // uint64 ids and sizes do not fit a JS number safely; convert where used.
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The folder holding the portal's own Talos .proto files (shipped in `files`). */
export function protoDir(): string {
  return resolvePackagePath('@homelab-portal/plugin-talos-backend', 'proto');
}

export type TalosGrpcServices = {
  MachineService: grpc.ServiceClientConstructor;
  State: grpc.ServiceClientConstructor;
};

let loaded: TalosGrpcServices | undefined;

/** MachineService (package `machine`) and State (package `cosi.resource`). */
export function loadTalosServices(): TalosGrpcServices {
  if (!loaded) {
    const definition = protoLoader.loadSync(
      ['machine/machine.proto', 'cosi/state.proto'],
      { ...PROTO_OPTIONS, includeDirs: [protoDir()] },
    );
    const pkg = grpc.loadPackageDefinition(definition) as any;
    loaded = {
      MachineService: pkg.machine.MachineService,
      State: pkg.cosi.resource.State,
    };
  }
  return loaded;
}
