import { stringify } from 'yaml';
import { parseTalosconfig } from './talosconfig';

/** Malformed talosconfigs: each names the field that is wrong. */
describe('parseTalosconfig with a malformed talosconfig', () => {
  const parseText = (text: string, context?: string) => () =>
    parseTalosconfig(text, { source: 's', context });
  const withDoc = (doc: unknown, context?: string) =>
    parseText(stringify(doc), context);
  const withContext = (ctx: unknown) =>
    withDoc({ context: 'home', contexts: { home: ctx } });

  it('refuses a "context" that is not a name', () => {
    // A list used to be taken as its own text ("home") and returned as the name.
    expect(withDoc({ context: ['home'], contexts: { home: {} } })).toThrow(
      's: "context" must be the name of one of its contexts (a string)',
    );
    expect(withDoc({ context: 42, contexts: { home: {} } })).toThrow(
      's: "context" must be the name of one of its contexts (a string)',
    );
  });

  it('refuses "contexts" that is not a map', () => {
    expect(withDoc({ context: 'home', contexts: [{ endpoints: [] }] })).toThrow(
      's: not a talosconfig: it has no "contexts" map',
    );
    expect(parseText('- a\n- b\n')).toThrow(
      's: not a talosconfig: it has no "contexts" map',
    );
  });

  it('tells a malformed context from a missing one', () => {
    expect(withContext('10.0.0.1')).toThrow(
      's: context "home" must be a map of endpoints, nodes, ca, crt and key',
    );
    expect(withContext(null)).toThrow(
      's: context "home" must be a map of endpoints, nodes, ca, crt and key',
    );
    // Names of Object.prototype are no contexts.
    expect(withDoc({ contexts: { home: {} } }, '__proto__')).toThrow(
      's: has no context "__proto__" (it has: home)',
    );
  });

  it('names a field of the wrong type', () => {
    expect(withContext({ endpoints: ['10.0.0.1'], ca: 42 })).toThrow(
      's: context "home": "ca" must be a string (base64 of a PEM CA certificate)',
    );
    expect(withContext({ endpoints: ['10.0.0.1'], key: ['x'] })).toThrow(
      's: context "home": "key" must be a string (base64 of a PEM private key)',
    );
    expect(withContext({ endpoints: '10.0.0.1' })).toThrow(
      's: context "home": "endpoints" must be a list of addresses',
    );
    expect(withContext({ endpoints: ['10.0.0.1'], nodes: [21] })).toThrow(
      's: context "home": "nodes" must be a list of addresses',
    );
  });
});
