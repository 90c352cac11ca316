import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';

const labels = {
  'app.kubernetes.io/name': 'immich-server',
  'backstage.io/kubernetes-id': 'immich',
  tier: 'web',
  weight: '7',
};

const matches = (selector: string) =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  it('parses every operator of labels.Parse', () => {
    expect(
      parseLabelSelector('a=b, c==d,e!=f,g in (h, i),j notin (k),l,!m,n>3,o<4'),
    ).toEqual([
      { key: 'a', op: '=', value: 'b' },
      { key: 'c', op: '=', value: 'd' },
      { key: 'e', op: '!=', value: 'f' },
      { key: 'g', op: 'in', values: ['h', 'i'] },
      { key: 'j', op: 'notin', values: ['k'] },
      { key: 'l', op: 'exists' },
      { key: 'm', op: '!' },
      { key: 'n', op: '>', value: 3 },
      { key: 'o', op: '<', value: 4 },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('a=')).toEqual([
      { key: 'a', op: '=', value: '' },
    ]);
  });

  it('matches like Kubernetes, including absent labels for != and notin', () => {
    expect(matches('backstage.io/kubernetes-id=immich')).toBe(true);
    expect(matches('backstage.io/kubernetes-id==immich,tier=web')).toBe(true);
    expect(matches('backstage.io/kubernetes-id=immich,tier=db')).toBe(false);
    expect(matches('tier!=db')).toBe(true);
    expect(matches('missing!=x')).toBe(true);
    expect(matches('tier in (db,web)')).toBe(true);
    expect(matches('tier in (db)')).toBe(false);
    expect(matches('missing in (a)')).toBe(false);
    expect(matches('tier notin (web)')).toBe(false);
    expect(matches('missing notin (web)')).toBe(true);
    expect(matches('tier')).toBe(true);
    expect(matches('!tier')).toBe(false);
    expect(matches('!missing')).toBe(true);
    expect(matches('weight>5,weight<8')).toBe(true);
    expect(matches('weight>7')).toBe(false);
    expect(matches('tier>1')).toBe(false); // not an integer value
    // An object without labels.
    expect(matchesLabels(parseLabelSelector('tier'), undefined)).toBe(false);
    expect(matchesLabels(parseLabelSelector('tier!=x'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector(''), undefined)).toBe(true);
  });

  it.each([
    ['a in ()', "values set can't be empty"],
    ['a in b', "expected: '(' after 'in' or 'notin'"],
    ['a in (b', "expected: ')'"],
    ['=b', 'expected: identifier'],
    ['a b', "expected: '=', '!=', '==', 'in', 'notin'"],
    ['a=b c', "expected: ','"],
    ['-bad=x', 'invalid label key "-bad"'],
    ['a=b/c', 'invalid label value: "b/c"'],
    ['a>x', "for 'Gt', 'Lt' operators, the value must be an integer"],
    ['a=b,', 'expected: identifier'],
  ])('refuses %p with a message naming the problem', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});

describe('field selectors', () => {
  const fields = {
    'metadata.name': 'paperless-ngx-abc',
    'involvedObject.name': 'paperless-ngx-abc',
    'status.phase': 'Running',
  };

  it('parses =, == and != joined by commas, with escaped commas', () => {
    expect(
      parseFieldSelector('involvedObject.name=x,status.phase!=Failed,a==b\\,c'),
    ).toEqual([
      { field: 'involvedObject.name', op: '=', value: 'x' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'a', op: '=', value: 'b,c' },
    ]);
    expect(() => parseFieldSelector('nonsense')).toThrow(SelectorError);
  });

  it('matches every requirement', () => {
    expect(
      matchesFields(
        parseFieldSelector('involvedObject.name=paperless-ngx-abc'),
        fields,
      ),
    ).toBe(true);
    expect(
      matchesFields(
        parseFieldSelector(
          'metadata.name=paperless-ngx-abc,status.phase!=Running',
        ),
        fields,
      ),
    ).toBe(false);
  });
});
