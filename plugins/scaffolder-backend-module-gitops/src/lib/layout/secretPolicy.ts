import { RepoProfile } from '../profile/RepoProfile';
import { Problems } from '../validation/problems';

/**
 * Refuses a SealedSecret where nothing would decrypt it: a repository that
 * keeps its secrets with ExternalSecrets or SOPS and has no sealed-secrets
 * controller. Says what was found and what to do instead. True when
 * sealing is fine (SealedSecrets are there, or the repository has no secret
 * management of its own and the portal's configured controller is used).
 */
export function sealingAllowed(
  profile: RepoProfile,
  problems: Problems,
  field: string,
): boolean {
  const s = profile.secrets;
  if (s.kind === 'external-secrets') {
    const store = s.store
      ? `${s.store.value.kind} ${s.store.value.name}`
      : 'their secret store';
    problems.add(
      field,
      'secret-management',
      `${profile.description} uses ExternalSecrets (${s.externalSecrets}, most from ${store}) and no SealedSecrets controller: a SealedSecret would never be decrypted, and an app reading its Secret would not start. Put the values in ${store} and choose the secret store instead (an ExternalSecret), or deploy the sealed-secrets controller first`,
    );
    return false;
  }
  if (s.kind === 'sops') {
    problems.add(
      field,
      'secret-management',
      `${profile.description} encrypts its secrets with SOPS (${
        s.sopsFiles
      } encrypted file${s.sopsFiles === 1 ? '' : 's'}${
        s.sopsConfig ? ', rules in .sops.yaml' : ''
      }) and has no SealedSecrets controller: a SealedSecret would never be decrypted, and the portal does not write SOPS files. Encrypt the Secret with sops and commit it, or deploy the sealed-secrets controller first`,
    );
    return false;
  }
  return true;
}

/** Refuses an ExternalSecret where the repository has no store to name. */
export function externalSecretAllowed(
  profile: RepoProfile,
  problems: Problems,
  field: string,
): boolean {
  if (profile.secrets.kind === 'external-secrets' && profile.secrets.store)
    return true;
  problems.add(
    field,
    'secret-management',
    `${
      profile.description
    } has no ExternalSecrets to take a secret store from (${
      profile.secrets.summary
    }); ${
      profile.secrets.kind === 'sops'
        ? 'it encrypts secrets with SOPS'
        : 'seal the values instead (a SealedSecret)'
    }`,
  );
  return false;
}
