import { RepoObject } from './repoObjects';
import { Convention, Tally } from './tally';

const CONFIG_FILES = [
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitea/renovate.json',
  '.gitea/renovate.json5',
  '.gitlab/renovate.json',
  '.forgejo/renovate.json',
];

/** How the repository tells Renovate about container images in raw manifests. */
export type RenovateStyle = {
  /** the Renovate configuration file, when there is one */
  config?: string;
  /**
   * The comment after `image:` that most image lines carry, with `<image>`
   * for the image repository (`# renovate: docker=<image>`), or none.
   */
  imageComment?: Convention<string>;
  /** image lines seen */
  imageLines: number;
};

const IMAGE_LINE = /^\s*(?:-\s+)?image:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/;

/** `docker.io/x/y:1.2@sha256:…` → `docker.io/x/y` */
function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/')
    ? noDigest.slice(0, colon)
    : noDigest;
}

/**
 * Counts the comment forms of every `image:` line in workload manifests:
 * the form most lines use wins, not the first one found.
 */
export function renovateStyle(
  objects: RepoObject[],
  files: string[],
): RenovateStyle {
  const config = CONFIG_FILES.find(f => files.includes(f));
  const texts = new Map<string, string>();
  for (const o of objects) {
    if (
      ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'].includes(
        o.object.kind,
      )
    )
      texts.set(o.path, o.text);
  }
  const forms = new Tally<string>();
  for (const text of texts.values()) {
    for (const line of text.split('\n')) {
      const m = IMAGE_LINE.exec(line);
      if (!m) continue;
      const comment = m[2]?.trim();
      if (!comment || !/renovate/i.test(comment)) {
        forms.add(undefined);
        continue;
      }
      const repository = repositoryOf(m[1]);
      forms.add(comment.split(repository).join('<image>'));
    }
  }
  const best = forms.mostCommon('image lines');
  return {
    config,
    imageComment: best && best.count * 2 > forms.total ? best : undefined,
    imageLines: forms.total,
  };
}

/** `image: repo:tag # renovate: docker=repo` in the repository's form. */
export function imageComment(
  style: RenovateStyle,
  repository: string,
): string | undefined {
  return style.imageComment?.value.split('<image>').join(repository);
}
