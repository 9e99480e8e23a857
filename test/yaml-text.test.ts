import * as fc from 'fast-check';
import { composedYaml, libraryYaml, toYaml } from '../pipeline/yaml-text';

describe('toYaml writes what the yaml library writes', () => {
  test('a manifest: sorted keys, nested maps and sequences, empty collections, quoted scalars', () => {
    const manifest = {
      kind: 'DaemonSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'node-agent', labels: { 'app.kubernetes.io/name': 'velero', '1': 'true' } },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'node-agent', args: ['server', '--features=EnableCSI'], env: [], ports: [{ containerPort: 8085 }] }],
            volumes: [{ name: 'scratch', emptyDir: {} }],
            nested: [['a', ['b']], []],
          },
        },
      },
      data: { 'config.json': '{"loadConcurrency":{"globalConfig":2}}', empty: '', colon: 'a: b', hash: 'a #b', dash: '- x', num: '0x1F', nul: null },
    };
    const expected = [
      'apiVersion: apps/v1',
      'data:',
      '  colon: "a: b"',
      "  config.json: '{\"loadConcurrency\":{\"globalConfig\":2}}'",
      '  dash: "- x"',
      '  empty: ""',
      '  hash: "a #b"',
      '  nul: null',
      '  num: "0x1F"',
      'kind: DaemonSet',
      'metadata:',
      '  labels:',
      '    "1": "true"',
      '    app.kubernetes.io/name: velero',
      '  name: node-agent',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - args:',
      '            - server',
      '            - --features=EnableCSI',
      '          env: []',
      '          name: node-agent',
      '          ports:',
      '            - containerPort: 8085',
      '      nested:',
      '        - - a',
      '          - - b',
      '        - []',
      '      volumes:',
      '        - emptyDir: {}',
      '          name: scratch',
      '',
    ].join('\n');
    expect(composedYaml(manifest)).toBe(expected);
    expect(libraryYaml(manifest)).toBe(expected);
  });

  test('values it does not compose are written by yaml whole', () => {
    const multiLine = { data: { script: 'line 1\n\nline 2\n' } };
    expect(composedYaml(multiLine)).toBeUndefined();
    expect(toYaml(multiLine)).toBe('data:\n  script: |\n    line 1\n\n    line 2\n');
    // A document marker: yaml quotes it as a top-level key, and writes it plain deeper.
    expect(composedYaml({ '---x': { '---y': 1 } })).toBeUndefined();
    expect(toYaml({ '---x': { '---y': 1 } })).toBe('"---x":\n  ---y: 1\n');
    expect(toYaml({ a: -0, b: undefined })).toBe(libraryYaml({ a: -0, b: undefined }));
    expect(toYaml(['a'])).toBe('- a\n');
    expect(toYaml({})).toBe('{}\n');
  });

  // Strings built from the pieces YAML's quoting rules turn on.
  const piece = fc.constantFrom('a', 'Z', '0', '1.5', '0x1F', 'true', 'null', '~', 'yes', '-', '--', '---', '...', '?', ':', ': ', ' ', '#', ' #', '%', '@', '`', '!', '&', '*', '|', '>', "'", '"', '\\', ',', '[', ']', '{', '}', '\n', '\t', '\r', '\u0085', '\u2028', '\ufeff', 'é', '😀', '\ud800');
  const tricky = fc.oneof(fc.string({ maxLength: 8 }), fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), fc.constant('k'.repeat(1030)));
  const scalar = fc.oneof(tricky, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
    map: fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
    seq: fc.array(tie('value'), { maxLength: 4 }),
  }));

  // The same without what is never composed (line breaks and other control characters, document markers at the start).
  const composable = fc.array(piece.filter((p) => !/[\x00-\x1f\x85\u2028\ufeff]/.test(p)), { maxLength: 6 }).map((p) => p.join('')).filter((s) => !/^(---|\.\.\.)/.test(s));
  const { plain } = fc.letrec((tie) => ({
    plain: fc.oneof({ depthSize: 'small' }, composable, fc.integer(), fc.double().filter((d) => !Object.is(d, -0)), fc.boolean(), fc.constant(null), tie('map'), tie('seq')),
    map: fc.dictionary(composable, tie('plain'), { maxKeys: 5 }),
    seq: fc.array(tie('plain'), { maxLength: 4 }),
  }));

  test('composed, byte for byte, on generated values of admitted scalars', () => {
    fc.assert(
      fc.property(fc.dictionary(composable, plain, { minKeys: 1, maxKeys: 6 }), (map) => {
        expect(composedYaml(map)).toBe(libraryYaml(map));
      }),
      { numRuns: 3000 },
    );
  });

  test('byte for byte on generated values of any scalars', () => {
    fc.assert(
      fc.property(fc.dictionary(tricky, value, { minKeys: 1, maxKeys: 6 }), (map) => {
        expect(toYaml(map)).toBe(libraryYaml(map));
      }),
      { numRuns: 3000 },
    );
  });
});
