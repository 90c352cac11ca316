import { DocumentStyle } from '../../profile/documentStyle';
import { normalize, withName } from '../../profile/normalize';
import { baseName, RepoObject } from '../../profile/repoObjects';
import { Tally } from '../../profile/tally';

/** The app folder a sibling Application deploys (its source path, else its name). */
const folderOf = (o: RepoObject) =>
  baseName(String(o.object.spec?.source?.path ?? o.object.metadata?.name));

/**
 * App-of-apps: the Application manifest of the new app, the shape most
 * sibling Applications share (with their own names as the placeholder),
 * pointed at the new folder and namespace; its file named and written
 * (`style`) like theirs, next to them. `count` of `total` siblings have
 * that shape.
 */
export function argoApplication(
  siblings: RepoObject[],
  app: string,
  appPath: string,
  namespace: string,
): {
  document: Record<string, any>;
  fileName: string;
  path: string;
  style: DocumentStyle;
  count: number;
  total: number;
} {
  const shapes = new Tally<Record<string, any>>(
    siblings.map(s => normalize(s.object, folderOf(s)) as Record<string, any>),
  );
  const best = shapes.mostCommon('Applications')!;
  const document = withName(best.value, app);
  document.spec.source = { ...document.spec.source, path: appPath };
  if (document.spec.destination?.namespace !== undefined)
    document.spec.destination.namespace = namespace;
  const fileName = withName(
    new Tally(
      siblings.map(s => String(normalize(baseName(s.path), folderOf(s)))),
    ).mostCommon('Applications')!.value,
    app,
  );
  const style = new DocumentStyle();
  for (const s of siblings) style.learn(s, folderOf(s));
  return {
    document,
    fileName,
    path: `${siblings[0].dir ? `${siblings[0].dir}/` : ''}${fileName}`,
    style,
    count: best.count,
    total: best.total,
  };
}
