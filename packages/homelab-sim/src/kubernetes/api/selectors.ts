/**
 * Label and field selectors with the syntax and meaning of apimachinery's
 * `labels.Parse` and `fields.ParseSelector`: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (does not exist), and
 * `a>1`/`a<1` on integers; requirements joined by commas are ANDed. `!=` and
 * `notin` also match objects without the label, as in Kubernetes.
 */
export type Requirement =
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: '>' | '<'; value: number };

export class SelectorError extends Error {}

const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Token = { kind: 'id' | 'op' | ',' | '(' | ')'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === ',' || c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = input.slice(i, i + 2);
      const op = two === '==' || two === '!=' ? two : c;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else {
      let j = i;
      while (j < input.length && !' \t,()=!<>'.includes(input[j])) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function checkKey(key: string) {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!QUALIFIED_NAME.test(key) || name.length > 63 || key.length > 316) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(value: string) {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorError(
      `unable to parse requirement: invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Parses a label selector; throws SelectorError with apimachinery-like messages. */
export function parseLabelSelector(input: string): Requirement[] {
  const tokens = tokenize(input);
  const out: Requirement[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const fail = (what: string): never => {
    const t = peek();
    throw new SelectorError(
      `unable to parse requirement: found '${
        t ? t.text : ''
      }', expected: ${what}`,
    );
  };
  if (tokens.length === 0) return out;
  for (;;) {
    let t = next();
    if (!t) fail('identifier');
    if (t.kind === 'op' && t.text === '!') {
      t = next();
      if (!t || t.kind !== 'id') {
        pos--;
        fail("identifier after '!'");
      }
      checkKey(t.text);
      out.push({ key: t.text, op: '!' });
    } else if (t.kind === 'id') {
      const key = t.text;
      checkKey(key);
      const op = peek();
      if (!op || op.kind === ',') {
        out.push({ key, op: 'exists' });
      } else if (op.kind === 'op' && ['=', '==', '!='].includes(op.text)) {
        next();
        const v = peek();
        let value = '';
        if (v && v.kind === 'id') {
          value = v.text;
          next();
        }
        checkValue(value);
        out.push({ key, op: op.text === '!=' ? '!=' : '=', value });
      } else if (op.kind === 'op' && (op.text === '>' || op.text === '<')) {
        next();
        const v = next();
        if (!v || v.kind !== 'id' || !/^-?\d+$/.test(v.text)) {
          throw new SelectorError(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        out.push({ key, op: op.text, value: Number(v.text) });
      } else if (
        op.kind === 'id' &&
        (op.text === 'in' || op.text === 'notin')
      ) {
        next();
        if (peek()?.kind !== '(') fail("'(' after 'in' or 'notin'");
        next();
        const values: string[] = [];
        let expectValue = true;
        for (;;) {
          const v = next();
          if (!v) {
            pos--;
            fail("')'");
          }
          if (v.kind === ')') {
            if (expectValue && values.length) values.push('');
            break;
          }
          if (v.kind === ',') {
            if (expectValue) values.push('');
            expectValue = true;
            continue;
          }
          if (v.kind !== 'id' || !expectValue) {
            pos--;
            fail("',' or ')'");
          }
          checkValue(v.text);
          values.push(v.text);
          expectValue = false;
        }
        if (values.length === 0) {
          throw new SelectorError(
            `unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`,
          );
        }
        out.push({ key, op: op.text, values });
      } else {
        fail("'=', '!=', '==', 'in', 'notin'");
      }
    } else {
      pos--;
      fail('identifier');
    }
    const sep = next();
    if (!sep) return out;
    if (sep.kind !== ',') {
      pos--;
      fail("','");
    }
  }
}

/** Whether a label map satisfies every requirement. */
export function matchesLabels(
  requirements: Requirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const has = (k: string) =>
    labels !== undefined && Object.prototype.hasOwnProperty.call(labels, k);
  return requirements.every(r => {
    const value = has(r.key) ? labels![r.key] : undefined;
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case '!':
        return value === undefined;
      case '=':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case '>':
      case '<': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        return r.op === '>' ? Number(value) > r.value : Number(value) < r.value;
      }
      default:
        return false;
    }
  });
}

export type FieldRequirement = { field: string; op: '=' | '!='; value: string };

/** `fields.ParseSelector`: `f=v`, `f==v`, `f!=v`, joined by commas (`\,` escapes). */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '\\' && i + 1 < input.length) {
      current += input[++i];
    } else if (input[i] === ',') {
      parts.push(current);
      current = '';
    } else {
      current += input[i];
    }
  }
  parts.push(current);
  return parts
    .filter(p => p.trim() !== '')
    .map(part => {
      const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(part.trim());
      if (!m) {
        throw new SelectorError(
          `invalid selector: '${part}'; can't understand '${part}'`,
        );
      }
      return {
        field: m[1],
        op: m[2] === '!=' ? '!=' : '=',
        value: m[3],
      } as FieldRequirement;
    });
}

/** Whether an object's selectable fields satisfy every requirement. */
export function matchesFields(
  requirements: FieldRequirement[],
  fields: Record<string, string>,
): boolean {
  return requirements.every(r =>
    r.op === '=' ? fields[r.field] === r.value : fields[r.field] !== r.value,
  );
}
