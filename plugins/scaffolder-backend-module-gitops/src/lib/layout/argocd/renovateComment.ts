/**
 * The rendered Deployment with the repository's Renovate comment after the
 * image (`image: repo:tag # renovate: …`), for repositories whose Renovate
 * finds images by that comment.
 */
export function withRenovateComment(
  text: string,
  image: string,
  comment: string,
): string {
  return text.replace(
    new RegExp(
      `^(\\s*(?:- )?image: )${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      'm',
    ),
    `$1${image} ${comment}`,
  );
}
