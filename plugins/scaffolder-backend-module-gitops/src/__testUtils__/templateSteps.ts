import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const templatesDir = path.resolve(__dirname, '../../../../templates');

/** A step of one of the portal's templates, as written. */
export function templateStep(
  template: string,
  id: string,
): { action: string; input: Record<string, unknown> } {
  const entity = parse(
    fs.readFileSync(path.join(templatesDir, template, 'template.yaml'), 'utf8'),
  );
  const step = entity.spec.steps.find((s: any) => s.id === id);
  if (!step) throw new Error(`${template} has no step ${id}`);
  return step;
}

const REFERENCE =
  /^\$\{\{\s*(steps\.(\w+)\.output\.(\w+)|parameters\.(\w+))\s*\}\}$/;

/**
 * A step's input with its plain references (`${{ steps.x.output.y }}`,
 * `${{ parameters.z }}`) filled in; anything more elaborate is refused, so
 * a test never guesses what the scaffolder would render.
 */
export function resolveInput(
  input: unknown,
  context: {
    parameters: Record<string, unknown>;
    steps: Record<string, Record<string, unknown>>;
  },
): any {
  if (typeof input === 'string') {
    if (!input.includes('${{')) return input;
    const m = REFERENCE.exec(input);
    if (!m) throw new Error(`not a plain reference: ${input}`);
    return m[2] ? context.steps[m[2]]?.[m[3]] : context.parameters[m[4]];
  }
  if (Array.isArray(input)) return input.map(i => resolveInput(i, context));
  if (input && typeof input === 'object') {
    return Object.fromEntries(
      Object.entries(input).map(([k, v]) => [k, resolveInput(v, context)]),
    );
  }
  return input;
}
