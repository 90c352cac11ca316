import { DocumentStyle } from '../profile/documentStyle';

/**
 * A new file in the style the repository writes that kind of file in:
 * its key order, quoting, sequence indentation, `---` and schema comment
 * (the fallback schema only when the repository has no such file at all).
 */
export function renderFile(
  object: unknown,
  style: DocumentStyle | undefined,
  options: { name?: string; schema?: string } = {},
): string {
  const s = style ?? new DocumentStyle();
  return s.render(object, {
    name: options.name,
    schema: s.samples > 0 ? s.schemaUrl() : options.schema,
  });
}

/** An object with its keys in alphabetical order, `first` kept in front (the home-ops sorting rule). */
export function sortKeys<T extends Record<string, unknown>>(
  obj: T,
  first: string[] = [],
): T {
  const keys = Object.keys(obj).sort((a, b) => {
    const fa = first.indexOf(a);
    const fb = first.indexOf(b);
    if (fa >= 0 || fb >= 0)
      return (fa < 0 ? Infinity : fa) - (fb < 0 ? Infinity : fb);
    return a.localeCompare(b);
  });
  return Object.fromEntries(keys.map(k => [k, obj[k]])) as T;
}
