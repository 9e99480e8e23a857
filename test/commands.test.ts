/**
 * The `validate` and `lint-configmap` commands, through `main(argv, env)` in-process with the
 * console captured. Fixtures are written line by line into temporary folders, so that the line
 * numbers asserted can be read off the fixture (line N is the N-th string). Nothing reads the
 * repository's environments/ or writes into dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cli, Run, tmp } from './helpers';

const FLEET = path.join(__dirname, 'fixtures', 'fleet');
const STACK_TRACE_LINE = /^\s{4}at /m;
const FINDING_KEYS = ['column', 'file', 'hint', 'line', 'message', 'path', 'rule', 'severity'];
const DATA = 'data["node-agent-config.json"]';
const GO_DECODE_HINT = 'node-agent exits at startup from Velero 1.17; before 1.17 it ignores the whole ConfigMap';

/** A file from its lines: line N of the file is the N-th argument. */
const lines = (...text: string[]) => text.join('\n') + '\n';

/** Column (1-based) of `token` in line `line` (1-based) of `text`. */
function columnOf(text: string, line: number, token: string): number {
  const at = text.split('\n')[line - 1].indexOf(token);
  if (at < 0) throw new Error(`"${token}" is not on line ${line}`);
  return at + 1;
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  path: string;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  hint: string | null;
}

/** `--format json` output, parsed; every finding with exactly the documented keys. */
function parseJson(run: Run): { findings: JsonFinding[]; waivers: unknown[]; skipped: unknown[] } {
  const parsed = JSON.parse(run.out);
  expect(Object.keys(parsed).sort()).toEqual(['findings', 'skipped', 'waivers']);
  for (const f of parsed.findings) expect(Object.keys(f).sort()).toEqual(FINDING_KEYS);
  return parsed;
}

/** A folder of environment files and an output path that must never be created. */
function environments(files: Record<string, string>) {
  const dir = tmp('envs-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const out = path.join(tmp('out-'), 'out');
  return { dir, out, file: (name: string) => path.join(dir, name) };
}

/** Writes `text` to a temporary file and lints it. */
function lint(text: string, args: string[] = [], name = 'configmap.yaml') {
  const file = path.join(tmp('lint-'), name);
  fs.writeFileSync(file, text);
  const run = cli(['lint-configmap', file, ...args]);
  return { ...run, file };
}

/** Lints with --format json; the findings reduced to where and what. */
function lintJson(text: string, args: string[] = [], name = 'configmap.yaml') {
  const run = lint(text, [...args, '--format', 'json'], name);
  expect(run.err).toBe('');
  const { findings, waivers } = parseJson(run);
  expect(waivers).toEqual([]);
  for (const f of findings) expect(f.file).toBe(run.file);
  return { ...run, findings, at: findings.map(({ line, column, path: p, rule, severity }) => ({ line, column, path: p, rule, severity })) };
}

// ---------------------------------------------------------------------------------------------
// validate

const BAD = lines(
  'velero:',
  '  version: 1.18.1',
  'nodeAgent:',
  '  logLevel: verbose',
  'config:',
  '  backupPVC:',
  '    gp3:',
  '      spcNoRelabeling: true',
);

const WAIVED = lines(
  'velero:',
  '  version: 1.18.1',
  'config:',
  '  loadConcurrency:',
  '    globalConfig: 0',
  'policyExceptions:',
  '  - rule: load-concurrency-minimum',
  '    reason: lab cluster, testing the default',
);

const WARNING_ONLY = lines(
  'platform: k0s',
  'velero:',
  '  version: 1.17.2',
  'config:',
  '  backupPVC:',
  '    gp3:',
  '      spcNoRelabeling: true',
);

describe('validate', () => {
  test('a valid fleet (test/fixtures/fleet): exit 0, no error, nothing written', () => {
    const out = path.join(tmp('out-'), 'out');
    const r = cli(['validate', '--environments', FLEET, '--output', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/ {2}error {2}/);
    expect(r.err.split('\n').pop()).toMatch(/^0 errors, \d+ warnings?; validated, nothing written\.$/);
    expect(fs.existsSync(out)).toBe(false);

    const json = cli(['validate', '--environments', FLEET, '--output', out, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(parseJson(json).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('text: findings grouped by file as file:line:col  severity  rule-id  key.path  message (hint), then the waivers, exit 1', () => {
    const { dir, out, file } = environments({ 'bad.yaml': BAD, 'waived.yaml': WAIVED });
    const r = cli(['validate', '--environments', dir, '--output', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        `${file('bad.yaml')}:4:13  error  schema  nodeAgent.logLevel  expected one of trace, debug, info, warning, error, fatal, panic; got the string "verbose"`,
        `${file('bad.yaml')}:8:24  warning  spc-no-relabeling-without-read-only  config.backupPVC.gp3.spcNoRelabeling  spcNoRelabeling has no effect unless readOnly is true (set readOnly: true, or remove spcNoRelabeling)`,
        '',
        `${file('waived.yaml')}:5:19  warning  load-concurrency-minimum  config.loadConcurrency.globalConfig  globalConfig is 0: Velero uses 1 instead (waived: lab cluster, testing the default)`,
        '',
        'Waivers in force:',
        `${file('waived.yaml')}:7:11  waiver  load-concurrency-minimum  waived  lab cluster, testing the default`,
        '',
        'Not checked, for want of an inventory:',
        'bad: storage-class-exists (add storageClasses to check them)',
        '',
        '1 error, 2 warnings; validated, nothing written.',
      ].join('\n'),
    );
    expect(r.err).not.toMatch(STACK_TRACE_LINE);
  });

  test('--format json: {findings, waivers} on stdout, each finding with exactly the documented keys', () => {
    const { dir, out, file } = environments({ 'bad.yaml': BAD, 'waived.yaml': WAIVED });
    const r = cli(['validate', '--environments', dir, '--output', out, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const { findings, waivers, skipped } = parseJson(r);
    expect(skipped).toEqual([{ environment: 'bad', rules: ['storage-class-exists'], needs: ['storageClasses'] }]);
    expect(findings).toHaveLength(3);
    expect(findings[1]).toEqual({
      file: file('bad.yaml'),
      line: 8,
      column: 24,
      path: 'config.backupPVC.gp3.spcNoRelabeling',
      rule: 'spc-no-relabeling-without-read-only',
      severity: 'warning',
      message: 'spcNoRelabeling has no effect unless readOnly is true',
      hint: 'set readOnly: true, or remove spcNoRelabeling',
    });
    // a finding without a hint still has the key
    expect(findings[0]).toMatchObject({ file: file('bad.yaml'), line: 4, column: 13, path: 'nodeAgent.logLevel', rule: 'schema', severity: 'error' });
    expect(findings[0]).toHaveProperty('hint');
    expect(findings[2]).toMatchObject({ file: file('waived.yaml'), line: 5, column: 19, rule: 'load-concurrency-minimum', severity: 'warning' });
    expect(waivers).toEqual([
      { file: file('waived.yaml'), line: 7, column: 11, environment: 'waived', rule: 'load-concurrency-minimum', reason: 'lab cluster, testing the default' },
    ]);
  });

  test('writes nothing: no output folder, the environments unchanged', () => {
    const { dir, out } = environments({ 'ok.yaml': WARNING_ONLY, 'waived.yaml': WAIVED });
    const before = fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
    for (const format of ['text', 'json']) {
      expect(cli(['validate', '--environments', dir, '--output', out, '--format', format]).code).toBe(0);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(path.dirname(out)) && fs.readdirSync(path.dirname(out))).toEqual([]);
    }
    expect(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])).toEqual(before);
  });

  test('warnings only: exit 0, the warnings still printed', () => {
    const { dir, out, file } = environments({ 'warn.yaml': WARNING_ONLY });
    const r = cli(['validate', '--environments', dir, '--output', out]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      [
        `${file('warn.yaml')}:7:24  warning  spc-no-relabeling-without-read-only  config.backupPVC.gp3.spcNoRelabeling  spcNoRelabeling has no effect unless readOnly is true (set readOnly: true, or remove spcNoRelabeling)`,
        '',
        'Not checked, for want of an inventory:',
        'warn: storage-class-exists (add storageClasses to check them)',
        '',
        '0 errors, 1 warning; validated, nothing written.',
      ].join('\n'),
    );
  });

  test('a waived error is a warning: exit 0, the waiver listed under "Waivers in force:"', () => {
    const { dir, out, file } = environments({ 'waived.yaml': WAIVED });
    const r = cli(['validate', '--environments', dir, '--output', out]);
    expect(r.code).toBe(0);
    const err = r.err.split('\n');
    expect(err[err.indexOf('Waivers in force:') + 1]).toBe(`${file('waived.yaml')}:7:11  waiver  load-concurrency-minimum  waived  lab cluster, testing the default`);
    expect(err.pop()).toBe('0 errors, 1 warning; validated, nothing written.');
  });
});

// ---------------------------------------------------------------------------------------------
// lint-configmap

/** `kubectl get cm node-agent-config -n velero -o yaml` of a valid ConfigMap. */
const KUBECTL_YAML_VALID = lines(
  'apiVersion: v1',
  'data:',
  '  node-agent-config.json: |',
  '    {',
  '      "loadConcurrency": {',
  '        "globalConfig": 2,',
  '        "prepareQueueLength": 10',
  '      },',
  '      "podResources": {',
  '        "cpuRequest": "500m",',
  '        "cpuLimit": "2",',
  '        "memoryRequest": "512Mi",',
  '        "memoryLimit": "2Gi"',
  '      },',
  '      "backupPVC": {',
  '        "gp3": {',
  '          "storageClass": "gp3-backup",',
  '          "annotations": {"ebs.csi.aws.com/volumeType": "gp3"}',
  '        }',
  '      }',
  '    }',
  'kind: ConfigMap',
  'metadata:',
  '  annotations:',
  '    kubectl.kubernetes.io/last-applied-configuration: |',
  String.raw`      {"apiVersion":"v1","data":{"node-agent-config.json":"{\"loadConcurrency\":{\"globalConfig\":2}}"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"node-agent-config","namespace":"velero"}}`,
  '  creationTimestamp: "2025-06-02T09:14:03Z"',
  '  labels:',
  '    component: velero',
  '  name: node-agent-config',
  '  namespace: velero',
  '  resourceVersion: "48213"',
  '  uid: 6f1c2b8e-3d4a-4c55-9a1e-2b7d9e0c1f42',
);

const KUBECTL_YAML_ERRORS = lines(
  'apiVersion: v1', //                                                                    1
  'data:', //                                                                             2
  '  node-agent-config.json: |', //                                                       3
  '    {', //                                                                             4
  '      "loadConcurrency": {', //                                                        5
  '        "globalConfig": 0,', //                                                        6
  '        "perNodeConfig": [', //                                                        7
  '          {"nodeSelector": {"matchLabels": {"pool": "backup"}}, "number": 0}', //      8
  '        ]', //                                                                         9
  '      },', //                                                                          10
  '      "podResources": {', //                                                           11
  '        "cpuRequest": "2",', //                                                        12
  '        "cpuLimit": "500m",', //                                                       13
  '        "memoryRequest": "512Mi",', //                                                 14
  '        "memoryLimit": "2Gi"', //                                                      15
  '      },', //                                                                          16
  '      "loadAffinity": [', //                                                           17
  '        {"nodeSelector": {"matchExpressions": [{"key": "zone", "operator": "Exists", "values": ["a"]}]}}', // 18
  '      ]', //                                                                           19
  '    }', //                                                                             20
  'kind: ConfigMap', //                                                                   21
  'metadata:', //                                                                         22
  '  name: node-agent-config', //                                                         23
  '  namespace: velero', //                                                               24
  '  resourceVersion: "48213"', //                                                        25
  '  uid: 6f1c2b8e-3d4a-4c55-9a1e-2b7d9e0c1f42', //                                       26
);

/** `kubectl get cm -o json`: the data value is one JSON string on line 4. */
const kubectlJson = (value: unknown) =>
  lines(
    '{',
    '    "apiVersion": "v1",',
    '    "data": {',
    `        "node-agent-config.json": ${JSON.stringify(JSON.stringify(value))}`,
    '    },',
    '    "kind": "ConfigMap",',
    '    "metadata": {',
    '        "creationTimestamp": "2025-06-02T09:14:03Z",',
    '        "name": "node-agent-config",',
    '        "namespace": "velero",',
    '        "resourceVersion": "48213",',
    '        "uid": "6f1c2b8e-3d4a-4c55-9a1e-2b7d9e0c1f42"',
    '    }',
    '}',
  );

/** A ConfigMap manifest whose one data value is `json` as a block literal, starting on line 4. */
const blockLiteral = (...json: string[]) =>
  lines('apiVersion: v1', 'data:', '  node-agent-config.json: |', ...json.map((l) => `    ${l}`), 'kind: ConfigMap', 'metadata:', '  name: node-agent-config', '  namespace: velero');

describe('lint-configmap', () => {
  test('(i) a valid ConfigMap as kubectl get cm -o yaml prints it: exit 0, no finding', () => {
    const r = lint(KUBECTL_YAML_VALID);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe(`0 errors, 0 warnings; ${r.file} checked against Velero 1.18.1.`);
    expect(lintJson(KUBECTL_YAML_VALID).findings).toEqual([]);
  });

  test('(ii) errors inside the block literal: exit 1, each at its line of the file', () => {
    const t = KUBECTL_YAML_ERRORS;
    const r = lintJson(t);
    expect(r.code).toBe(1);
    expect(r.at).toEqual([
      { line: 6, column: columnOf(t, 6, '0,'), path: `${DATA}.loadConcurrency.globalConfig`, rule: 'load-concurrency-minimum', severity: 'error' },
      { line: 8, column: columnOf(t, 8, '0}'), path: `${DATA}.loadConcurrency.perNodeConfig[0].number`, rule: 'load-concurrency-minimum', severity: 'error' },
      { line: 12, column: columnOf(t, 12, '"2"'), path: `${DATA}.podResources.cpuRequest`, rule: 'pod-resources', severity: 'error' },
      { line: 18, column: columnOf(t, 18, '["a"]'), path: `${DATA}.loadAffinity[0].nodeSelector.matchExpressions[0].values`, rule: 'label-selector', severity: 'error' },
    ]);
    expect(r.findings[2].message).toBe('cpuRequest "2" is above cpuLimit "500m"');
  });

  test('(ii) text output: file:line:col  severity  rule-id  key.path  message (hint), then the count', () => {
    const r = lint(KUBECTL_YAML_ERRORS);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const err = r.err.split('\n');
    expect(err[0]).toBe(`${r.file}:6:25  error  load-concurrency-minimum  ${DATA}.loadConcurrency.globalConfig  globalConfig is 0: Velero uses 1 instead (use 1 or more)`);
    expect(err.slice(-2)).toEqual(['', `4 errors, 0 warnings; ${r.file} checked against Velero 1.18.1.`]);
    expect(r.err).not.toMatch(STACK_TRACE_LINE);
  });

  test('(iii) kubectl get cm -o json: findings point at the line of the data value', () => {
    const valid = lintJson(kubectlJson({ loadConcurrency: { globalConfig: 1 }, backupPVC: { gp3: { readOnly: true } } }), [], 'cm.json');
    expect(valid.code).toBe(0);
    expect(valid.findings).toEqual([]);

    const text = kubectlJson({ loadConcurrency: { globalConfig: 0 }, backupPVC: { gp3: { readOnly: 'true' } } });
    const r = lintJson(text, [], 'cm.json');
    expect(r.code).toBe(1);
    const at = { line: 4, column: columnOf(text, 4, '"{') };
    expect(r.findings).toEqual([
      {
        file: r.file, ...at, path: `${DATA}.backupPVC.gp3.readOnly`, rule: 'go-decode', severity: 'error',
        message: 'cannot decode the string "true" into backupPVC.gp3.readOnly (a Go bool): only true and false decode into a bool: write true without quotes',
        hint: GO_DECODE_HINT,
      },
      { file: r.file, ...at, path: `${DATA}.loadConcurrency.globalConfig`, rule: 'load-concurrency-minimum', severity: 'error', message: 'globalConfig is 0: Velero uses 1 instead', hint: 'use 1 or more' },
    ].sort((a, b) => a.rule.localeCompare(b.rule)));
  });

  test('(iv) the bare JSON value', () => {
    const valid = lintJson(lines('{', '  "loadConcurrency": {"globalConfig": 1},', '  "backupPVC": {"gp3": {"readOnly": true}}', '}'), [], 'config.json');
    expect(valid.code).toBe(0);
    expect(valid.findings).toEqual([]);

    const text = lines('{', '  "loadConcurrency": {"globalConfig": 1},', '  "backupPVC": {', '    "gp3": {"readOnly": "yes"}', '  }', '}');
    const r = lintJson(text, [], 'config.json');
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      {
        file: r.file, line: 4, column: columnOf(text, 4, '"yes"'), path: 'backupPVC.gp3.readOnly', rule: 'go-decode', severity: 'error',
        message: 'cannot decode the string "yes" into backupPVC.gp3.readOnly (a Go bool): only true and false decode into a bool', hint: GO_DECODE_HINT,
      },
    ]);
  });

  describe('(v) more than one data key', () => {
    const TWO_KEYS = lines(
      'apiVersion: v1',
      'data:',
      '  a.json: |',
      '    {"loadConcurrency": {"globalConfig": 1}}',
      '  b.json: |',
      '    {"loadConcurrency": {"globalConfig": 2}}',
      'kind: ConfigMap',
      'metadata:',
      '  name: node-agent-config',
      '  namespace: velero',
    );

    test('an error with the default --velero-version (1.18.1)', () => {
      const r = lintJson(TWO_KEYS);
      expect(r.code).toBe(1);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]).toMatchObject({ path: 'data', rule: 'configmap-data', severity: 'error', message: 'the ConfigMap has 2 data keys (a.json, b.json)' });
      expect([2, 3]).toContain(r.findings[0].line);
      expect(r.findings[0].hint).toMatch(/keep one/);
    });

    test('a warning with --velero-version 1.17.2: exit 0', () => {
      const r = lintJson(TWO_KEYS, ['--velero-version', '1.17.2']);
      expect(r.code).toBe(0);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]).toMatchObject({ path: 'data', rule: 'configmap-data', severity: 'warning' });
    });

    test('each value is still checked', () => {
      const text = TWO_KEYS.replace('"globalConfig": 2', '"globalConfig": 0');
      const r = lintJson(text, ['--velero-version', '1.17.2']);
      expect(r.code).toBe(1);
      expect(r.at).toContainEqual({ line: 6, column: columnOf(text, 6, '0}'), path: 'data["b.json"].loadConcurrency.globalConfig', rule: 'load-concurrency-minimum', severity: 'error' });
    });
  });

  describe('(vi) keys Velero matches only case-insensitively', () => {
    const text = blockLiteral(
      '{', //                                   4
      '  "BackupPVC": {', //                    5
      '    "gp3": {', //                        6
      '      "storageClass": "gp3-backup",', // 7
      '      "readOnly": "true"', //            8
      '    }', //                               9
      '  }', //                                 10
      '}', //                                   11
    );

    test('BackupPVC is a warning naming backupPVC, and what is under it is still checked', () => {
      const r = lintJson(text);
      expect(r.code).toBe(1);
      expect(r.findings).toEqual([
        {
          file: r.file, line: 5, column: columnOf(text, 5, '"BackupPVC"'), path: `${DATA}.BackupPVC`, rule: 'case-insensitive-key', severity: 'warning',
          message: '"BackupPVC" works only because Velero matches keys case-insensitively', hint: 'write "backupPVC"',
        },
        {
          file: r.file, line: 8, column: columnOf(text, 8, '"true"'), path: `${DATA}.backupPVC.gp3.readOnly`, rule: 'go-decode', severity: 'error',
          message: 'cannot decode the string "true" into backupPVC.gp3.readOnly (a Go bool): only true and false decode into a bool: write true without quotes',
          hint: GO_DECODE_HINT,
        },
      ]);
    });

    test('a nested key (readonly) gets the same warning; a valid value under it is fine', () => {
      const nested = blockLiteral('{"backupPVC": {"gp3": {"readonly": true, "StorageClass": "gp3-backup"}}}');
      const r = lintJson(nested);
      expect(r.code).toBe(0);
      expect(r.findings.map((f) => [f.line, f.path, f.severity, f.hint])).toEqual([
        [4, `${DATA}.backupPVC.gp3.readonly`, 'warning', 'write "readOnly"'],
        [4, `${DATA}.backupPVC.gp3.StorageClass`, 'warning', 'write "storageClass"'],
      ]);
    });
  });

  test("(vii) the three wrong examples of Velero's docs are errors whose hint gives the right form", () => {
    const text = lines(
      '{',
      '  "prepareQueueLength": 10,',
      '  "backupPVC": {',
      '    "gp3": {"annotations": {"ebs.csi.aws.com/encrypted": true}}',
      '  },',
      '  "cachePVC": {"storageClass": "cache", "thresholdInGB": 10}',
      '}',
    );
    const r = lintJson(text, [], 'config.json');
    expect(r.code).toBe(1);
    expect(r.findings.map(({ line, path: p, severity }) => ({ line, path: p, severity }))).toEqual([
      { line: 2, path: 'prepareQueueLength', severity: 'error' },
      { line: 4, path: 'backupPVC.gp3.annotations["ebs.csi.aws.com/encrypted"]', severity: 'error' },
      { line: 6, path: 'cachePVC.thresholdInGB', severity: 'error' },
    ]);
    const [queue, annotation, cache] = r.findings;
    expect(queue.message).toBe('unknown key "prepareQueueLength"');
    expect(queue.hint).toContain('{"loadConcurrency": {"prepareQueueLength": 10}}');
    expect(annotation.message).toBe('cannot decode the boolean true into backupPVC.gp3.annotations["ebs.csi.aws.com/encrypted"] (a Go string): only a JSON string decodes into a string: quote the value');
    expect(annotation.hint).toBe(`annotation values are strings: quote true, false and numbers. ${GO_DECODE_HINT}`);
    expect(cache.message).toBe('unknown key "thresholdInGB"');
    expect(cache.hint).toContain('{"cachePVC": {"residentThresholdInMB": 10240}}');
  });

  test('(viii) version gating: cachePVC for Velero 1.17.2 is an error naming 1.18.0', () => {
    const text = blockLiteral('{"cachePVC": {"storageClass": "fast", "residentThresholdInMB": 1024}}');
    expect(lintJson(text).code).toBe(0);
    const r = lintJson(text, ['--velero-version', '1.17.2']);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      {
        file: r.file, line: 4, column: columnOf(text, 4, '"cachePVC"'), path: `${DATA}.cachePVC`, rule: 'velero-version', severity: 'error',
        message: '"cachePVC" was introduced in Velero 1.18.0; checked against Velero 1.17.2',
        hint: 'Velero 1.17.2 ignores it: remove "cachePVC", or upgrade Velero to 1.18.0 or later',
      },
    ]);
  });

  test('(ix) rules that need a StorageClass inventory or a platform do not fire', () => {
    const text = blockLiteral(
      '{',
      '  "backupPVC": {"no-such-class": {"storageClass": "also-missing", "readOnly": true}},',
      '  "cachePVC": {"storageClass": "retain-class"},',
      '  "loadAffinity": [{"nodeSelector": {}, "storageClass": "missing-too"}],',
      '  "restorePVC": {"ignoreDelayBinding": true}',
      '}',
    );
    const r = lintJson(text);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
  });

  describe('(x) invalid JSON in the data value: an error, exit 1, no stack trace', () => {
    test('a missing comma in a block literal', () => {
      const text = blockLiteral('{', '  "loadConcurrency": {', '    "globalConfig": 2', '    "prepareQueueLength": 1', '  }', '}');
      const r = lintJson(text);
      expect(r.code).toBe(1);
      expect(r.findings.length).toBeGreaterThan(0);
      for (const f of r.findings) {
        expect(f).toMatchObject({ path: DATA, severity: 'error' });
        expect(f.message).toMatch(/^invalid JSON/);
        expect(f.line).toBeGreaterThanOrEqual(4);
        expect(f.line).toBeLessThanOrEqual(9);
      }
      const asText = lint(text);
      expect(asText.code).toBe(1);
      expect(asText.err).not.toMatch(STACK_TRACE_LINE);
    });

    test('an unterminated value in kubectl -o json output: at the line of the value', () => {
      const broken = kubectlJson('PLACEHOLDER').replace('"\\"PLACEHOLDER\\""', String.raw`"{\"loadConcurrency\": {"`);
      expect(broken.split('\n')[3]).toBe(String.raw`        "node-agent-config.json": "{\"loadConcurrency\": {"`);
      const r = lintJson(broken, [], 'cm.json');
      expect(r.code).toBe(1);
      expect(r.findings.length).toBeGreaterThan(0);
      for (const f of r.findings) expect(f).toMatchObject({ line: 4, path: DATA, severity: 'error' });
    });

    // BUG (pipeline/lint-configmap.ts:48): the data value is parsed as YAML (new SourceFile), not as
    // JSON, so a value that only YAML accepts (a trailing comma, unquoted keys, block style) passes
    // lint with exit 0, while Velero's json.Unmarshal rejects it and node-agent runs without it.
    test.each([
      ['a trailing comma', ['{"loadConcurrency": {"globalConfig": 2,},}']],
      ['unquoted keys', ['{loadConcurrency: {globalConfig: 2}}']],
      ['YAML block style', ['loadConcurrency:', '  globalConfig: 2']],
    ])('a value that is YAML but not JSON (%s)', (_name, json) => {
      const r = lintJson(blockLiteral(...json));
      expect(r.code).toBe(1);
      expect(r.findings.some((f) => f.severity === 'error' && f.path === DATA && /invalid JSON/.test(f.message))).toBe(true);
    });

    test('a file that is not YAML at all', () => {
      const r = lint('{"loadConcurrency": {"globalConfig": \n', [], 'config.json');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/ {2}error {2}yaml-syntax {2}/);
      expect(r.err).not.toMatch(STACK_TRACE_LINE);
    });
  });

  describe('(xi) usage errors: exit 2 with a message', () => {
    test('a missing file', () => {
      const missing = path.join(tmp('lint-'), 'nope.yaml');
      const r = cli(['lint-configmap', missing]);
      expect(r).toEqual({ code: 2, out: '', err: `error: ${missing} not found` });
    });

    test('no FILE, or two', () => {
      expect(cli(['lint-configmap']).err.split('\n')[0]).toBe('error: lint-configmap takes one FILE');
      expect(cli(['lint-configmap']).code).toBe(2);
      expect(cli(['lint-configmap', 'a.yaml', 'b.yaml']).code).toBe(2);
    });

    test.each(['1.12.0', '1.19.0', 'abc', '1.18'])('--velero-version %s', (version) => {
      const { file } = lint(KUBECTL_YAML_VALID);
      const r = cli(['lint-configmap', file, '--velero-version', version]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n')[0]).toBe(`error: --velero-version ${version}: expected a Velero release from 1.13.0 up to 1.18.1, such as 1.18.1`);
      expect(r.err).not.toMatch(STACK_TRACE_LINE);
    });
  });

  test('(xii) --format json: {findings, waivers: []} on stdout, nothing on stderr', () => {
    const r = lint(KUBECTL_YAML_ERRORS, ['--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const { findings, waivers } = parseJson(r);
    expect(waivers).toEqual([]);
    expect(findings[0]).toEqual({
      file: r.file, line: 6, column: 25, path: `${DATA}.loadConcurrency.globalConfig`,
      rule: 'load-concurrency-minimum', severity: 'error', message: 'globalConfig is 0: Velero uses 1 instead', hint: 'use 1 or more',
    });
    const valid = lint(KUBECTL_YAML_VALID, ['--format', 'json']);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.out)).toEqual({ findings: [], waivers: [], skipped: [] });
  });

  // BUG (pipeline/lint-configmap.ts:45): a data value that is not a string is skipped without a
  // finding, so a hand-written manifest with the config as a YAML map under the key lints clean
  // ("0 errors", exit 0) although nothing was checked and Kubernetes rejects such a ConfigMap.
  test('a data value that is not a string: an error, not a silent pass', () => {
    const r = lintJson(lines('apiVersion: v1', 'kind: ConfigMap', 'data:', '  node-agent-config.json:', '    loadConcurrency:', '      globalConfig: 0'));
    expect(r.code).toBe(1);
    expect(r.findings).toContainEqual(expect.objectContaining({ path: DATA, severity: 'error' }));
  });

  test('a ConfigMap without data: an error', () => {
    const r = lintJson(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: node-agent-config'));
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'configmap-data', severity: 'error', message: 'the ConfigMap has no data key' })]);
  });
});
