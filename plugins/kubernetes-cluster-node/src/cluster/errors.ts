/**
 * The cluster cannot be reached the way it is configured: the message names
 * the config key and what to change, and never holds a token.
 *
 * @public
 */
export class KubernetesClusterError extends Error {
  name = 'KubernetesClusterError';
}
