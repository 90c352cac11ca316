import { withRenovateComment } from './renovateComment';

describe('withRenovateComment', () => {
  it("puts the comment after the app's image only", () => {
    const text = [
      'containers:',
      '  - name: sidecar',
      '    image: ghcr.io/mealie-recipes/mealie:v2.1.0-sidecar',
      '  - name: mealie',
      '    image: ghcr.io/mealie-recipes/mealie:v2.1.0',
      '',
    ].join('\n');
    expect(
      withRenovateComment(
        text,
        'ghcr.io/mealie-recipes/mealie:v2.1.0',
        '# renovate: docker=ghcr.io/mealie-recipes/mealie',
      ),
    ).toBe(
      text.replace(
        'mealie:v2.1.0\n',
        'mealie:v2.1.0 # renovate: docker=ghcr.io/mealie-recipes/mealie\n',
      ),
    );
  });
});
