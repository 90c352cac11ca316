import { parseDocument } from 'yaml';
import { RepoObject } from '../../profile/repoObjects';
import { registerEntry } from '../register';
import { PlannedFile } from '../types';
import { editYaml, rootSeq } from '../yamlFiles';

/** An app folder in the container's kustomization (`path`, `text`), as the folder lists them. */
export function registerFolder(
  path: string,
  text: string,
  app: string,
): PlannedFile {
  const listed: string[] = (parseDocument(text).toJS()?.resources ?? []).map(
    String,
  );
  const folders = listed.filter(r => !/\.ya?ml$/.test(r));
  const dotted = folders.length > 0 && folders.every(r => r.startsWith('./'));
  const entry = dotted ? `./${app}` : app;
  return {
    path,
    content: editYaml(text, doc => {
      registerEntry(rootSeq(doc, 'resources'), entry, v => !/\.ya?ml$/.test(v));
    }),
    action: 'update',
    reason: `registers the app folder ${entry}`,
  };
}

/** The app's Application manifest (`fileName`) in the kustomization that lists its siblings, as it lists them. */
export function registerApplication(
  list: RepoObject,
  fileName: string,
): PlannedFile {
  const dotted = (list.object.resources as string[]).every(r =>
    String(r).startsWith('./'),
  );
  const entry = dotted ? `./${fileName}` : fileName;
  return {
    path: list.path,
    content: editYaml(list.text, doc => {
      registerEntry(rootSeq(doc, 'resources'), entry, v => /\.ya?ml$/.test(v));
    }),
    action: 'update',
    reason: `registers the Application ${entry}`,
  };
}
