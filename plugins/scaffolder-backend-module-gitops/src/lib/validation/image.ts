import { Problems } from './problems';

/**
 * A container image reference, split the way Renovate's helm-values manager
 * reads app-template values: `repository` and `tag` (the tag may carry a
 * pinned digest, `1.2.3@sha256:…`).
 */
export type ImageReference = {
  /** registry + path, e.g. ghcr.io/immich-app/immich-server */
  repository: string;
  /** tag, e.g. v2.2.3 */
  tag: string;
  /** optional digest, e.g. sha256:… */
  digest?: string;
};

// The grammar of github.com/distribution/reference (regexp.go).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/** Parses an image reference; undefined when it is not one. */
export function parseImageReference(value: string): ImageReference | undefined {
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const [, repository, tag, digest] = match;
  // Without a domain the first path component must not look like one.
  if (repository.length > 255) return undefined;
  return { repository, tag: tag ?? '', digest };
}

/**
 * Refuses anything Renovate cannot keep up to date or a cluster cannot pull:
 * bad syntax, no tag, or the moving `latest` tag.
 */
export function checkImage(
  problems: Problems,
  field: string,
  value: string,
): ImageReference | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, 'required', 'is required');
    return undefined;
  }
  const image = parseImageReference(value.trim());
  if (!image) {
    problems.add(
      field,
      'image-reference',
      `"${value}" is not an image reference: [registry/]path:tag, lowercase path, e.g. ghcr.io/org/app:1.2.3`,
    );
    return undefined;
  }
  if (!image.tag) {
    problems.add(
      field,
      'image-tag',
      `"${value}" has no tag: add one such as :1.2.3 so Renovate can propose updates and every rollout pulls the same image`,
    );
    return undefined;
  }
  if (image.tag === 'latest') {
    problems.add(
      field,
      'image-tag',
      `"${value}" uses the moving tag "latest": pin a version such as :1.2.3 so Renovate can propose updates`,
    );
    return undefined;
  }
  return image;
}

/** The value for app-template's `image.tag`: tag, plus the digest when pinned. */
export function appTemplateTag(image: ImageReference): string {
  return image.digest ? `${image.tag}@${image.digest}` : image.tag;
}

/** The reference for a raw Deployment (Renovate's kubernetes manager). */
export function imageString(image: ImageReference): string {
  return `${image.repository}:${image.tag}${
    image.digest ? `@${image.digest}` : ''
  }`;
}
