import { toError } from '@backstage/errors';
import type {
  ProxmoxDataState,
  ProxmoxUpstreamError,
} from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxApiError, Snapshot } from '@homelab-portal/plugin-proxmox-node';

/** What the people using the portal may read of an error (no host address, no token id). */
export function publicMessage(error: unknown): string {
  return error instanceof ProxmoxApiError
    ? error.publicMessage
    : toError(error).message;
}

export function upstreamError(error: unknown): ProxmoxUpstreamError {
  return {
    kind: error instanceof ProxmoxApiError ? error.kind : 'upstream',
    message: publicMessage(error),
  };
}

/** How fresh a snapshot is, for the UI's "data from … / stale since" line. */
export function dataState(snapshot: Snapshot<unknown>): ProxmoxDataState {
  return {
    fetchedAt: new Date(snapshot.fetchedAt).toISOString(),
    stale: snapshot.stale,
    error: snapshot.error ? upstreamError(snapshot.error) : undefined,
  };
}

/** Runs a detail read; a failure becomes an entry in `partialErrors`. */
export async function partial<T>(
  what: string,
  errors: { what: string; error: ProxmoxUpstreamError }[],
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    errors.push({ what, error: upstreamError(error) });
    return undefined;
  }
}
