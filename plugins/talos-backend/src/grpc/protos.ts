import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { ProtoGrpcType as MachineProto } from './generated/machine';
import type { ProtoGrpcType as StateProto } from './generated/state';

/**
 * Loader options shared by the client and the decoding tests; the generated
 * types (`yarn generate:grpc-types`) are made with the same ones.
 */
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
  MachineService: MachineProto['machine']['MachineService'];
  State: StateProto['cosi']['resource']['State'];
};

let loaded: TalosGrpcServices | undefined;

/**
 * MachineService (package `machine`) and State (package `cosi.resource`),
 * loaded on first use: a portal without Talos never parses the protos.
 */
export function loadTalosServices(): TalosGrpcServices {
  if (!loaded) {
    const definition = protoLoader.loadSync(
      ['machine/machine.proto', 'cosi/state.proto'],
      { ...PROTO_OPTIONS, includeDirs: [protoDir()] },
    );
    const pkg = grpc.loadPackageDefinition(
      definition,
    ) as unknown as MachineProto & StateProto;
    loaded = {
      MachineService: pkg.machine.MachineService,
      State: pkg.cosi.resource.State,
    };
  }
  return loaded;
}
