/**
 * The node-agent ConfigMap (../shared/velero-node-agent.md section 1) and the shape of an
 * environment's output folder: kustomization.yaml and byte-identical renders; and linting a live
 * ConfigMap as node-agent decodes it (lint-configmap: stdin, Lists, what FILE may be).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { MAX_INPUT_BYTES } from '../pipeline/input';
import { synthesize } from '../pipeline/synth';
import { BIN, cli, environmentsDir, render, tmp } from './helpers';

/** An environment file; `velero.version` defaults to 1.18.1. */
function envYaml(env: { velero?: Record<string, unknown>; [key: string]: unknown } = {}): string {
  const { velero, ...rest } = env;
  return stringify({ velero: { version: '1.18.1', ...velero }, ...rest });
}

/** Every rendered object by file name; fails with the findings when nothing rendered. */
function objectsOf(yamlText: string): Record<string, any> {
  const { objects, findings } = render(yamlText);
  if (!objects['daemonset-node-agent.yaml']) throw new Error(`nothing rendered: ${JSON.stringify(findings, null, 2)}`);
  return objects;
}

const objectsFor = (env: Parameters<typeof envYaml>[0] = {}) => objectsOf(envYaml(env));

const configMapFiles = (objects: Record<string, any>) => Object.keys(objects).filter((f) => f.startsWith('configmap-'));

/** The one ConfigMap rendered, checked to be the only one. */
function configMapOf(objects: Record<string, any>): any {
  const names = configMapFiles(objects);
  expect(names).toHaveLength(1);
  return objects[names[0]];
}

/** The single data value of a ConfigMap. */
function dataText(configMap: any): string {
  const values = Object.values(configMap.data ?? {});
  expect(values).toHaveLength(1);
  return values[0] as string;
}

/** Raw output of one environment file: file name -> text. */
function renderedFiles(yamlText: string, fileName = 'test-env.yaml'): Map<string, string> {
  const { rendered, findings } = synthesize(environmentsDir({ [fileName]: yamlText }));
  if (rendered.length !== 1) throw new Error(`expected one environment: ${JSON.stringify(findings, null, 2)}`);
  return new Map(rendered[0].files);
}

const FULL_CONFIG = {
  loadConcurrency: {
    globalConfig: 2,
    perNodeConfig: [
      { nodeSelector: { matchLabels: { 'node.kubernetes.io/instance-type': 'm6i.4xlarge' } }, number: 4 },
      { nodeSelector: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['storage', 'batch'] }] }, number: 1 },
    ],
    prepareQueueLength: 10,
  },
  loadAffinity: [{ nodeSelector: { matchLabels: { backup: 'true' } }, storageClass: 'gp3' }],
  backupPVC: {
    'ocs-storagecluster-ceph-rbd': { storageClass: 'ocs-storagecluster-ceph-rbd', readOnly: true, spcNoRelabeling: true },
    gp3: { storageClass: 'gp3-backup', annotations: { 'ebs.csi.aws.com/volumeType': 'gp3' } },
  },
  podResources: { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  restorePVC: { ignoreDelayBinding: false },
  priorityClassName: 'velero-data-mover',
  privilegedFsBackup: true,
  cachePVC: { storageClass: 'cache-delete', residentThresholdInMB: 10240 },
  podLabels: { team: 'storage' },
  podAnnotations: { 'example.com/owner': 'storage' },
};

/** Whether every map, at every level, has its keys in sorted order (JSON.parse keeps the text order). */
function keyOrderIsSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keyOrderIsSorted);
  if (typeof value !== 'object' || value === null) return true;
  const keys = Object.keys(value);
  const sorted = [...keys].sort();
  return keys.every((k, i) => k === sorted[i]) && Object.values(value).every(keyOrderIsSorted);
}

describe('ConfigMap data', () => {
  it('has exactly one data key', () => {
    const cm = configMapOf(objectsFor({ config: FULL_CONFIG }));
    expect(Object.keys(cm.data)).toHaveLength(1);
  });

  it('has no binaryData', () => {
    expect(configMapOf(objectsFor({ config: FULL_CONFIG })).binaryData).toBeUndefined();
  });

  it('holds JSON deep-equal to the config given', () => {
    expect(JSON.parse(dataText(configMapOf(objectsFor({ config: FULL_CONFIG }))))).toEqual(FULL_CONFIG);
  });

  it('holds JSON deep-equal to a small config', () => {
    const config = { loadConcurrency: { globalConfig: 1 } };
    expect(JSON.parse(dataText(configMapOf(objectsFor({ config }))))).toEqual(config);
  });

  it('keeps types: integers, booleans and strings', () => {
    const parsed = JSON.parse(dataText(configMapOf(objectsFor({ config: FULL_CONFIG }))));
    expect(parsed.loadConcurrency.globalConfig).toBe(2);
    expect(parsed.privilegedFsBackup).toBe(true);
    expect(parsed.restorePVC.ignoreDelayBinding).toBe(false);
    expect(parsed.podResources.cpuLimit).toBe('2');
  });

  it('writes keys sorted in the JSON text, at every level', () => {
    const text = dataText(configMapOf(objectsFor({ config: FULL_CONFIG })));
    expect(keyOrderIsSorted(JSON.parse(text))).toBe(true);
    // Top-level order as it appears in the text.
    const topLevel = [...text.matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]);
    expect(topLevel).toEqual([
      'backupPVC',
      'cachePVC',
      'loadAffinity',
      'loadConcurrency',
      'podAnnotations',
      'podLabels',
      'podResources',
      'priorityClassName',
      'privilegedFsBackup',
      'restorePVC',
    ]);
  });

  it('sorts keys written out of order', () => {
    const text = dataText(
      configMapOf(objectsFor({ config: { podResources: { memoryLimit: '1Gi', cpuRequest: '1', memoryRequest: '1Gi', cpuLimit: '1' }, loadConcurrency: { globalConfig: 1 } } })),
    );
    expect(text).toBe(
      [
        '{',
        '  "loadConcurrency": {',
        '    "globalConfig": 1',
        '  },',
        '  "podResources": {',
        '    "cpuLimit": "1",',
        '    "cpuRequest": "1",',
        '    "memoryLimit": "1Gi",',
        '    "memoryRequest": "1Gi"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps list order (lists are not sorted)', () => {
    const parsed = JSON.parse(dataText(configMapOf(objectsFor({ config: FULL_CONFIG }))));
    expect(parsed.loadConcurrency.perNodeConfig.map((r: any) => r.number)).toEqual([4, 1]);
    expect(parsed.loadConcurrency.perNodeConfig[1].nodeSelector.matchExpressions[0].values).toEqual(['storage', 'batch']);
  });
});

describe('ConfigMap metadata', () => {
  it('is a v1 ConfigMap', () => {
    const cm = configMapOf(objectsFor({ config: FULL_CONFIG }));
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.apiVersion).toBe('v1');
  });

  it('lives in namespace velero by default', () => {
    expect(configMapOf(objectsFor({ config: FULL_CONFIG })).metadata.namespace).toBe('velero');
  });

  it('lives in velero.namespace, next to the DaemonSet', () => {
    const objects = objectsFor({ velero: { namespace: 'backup-system' }, config: FULL_CONFIG });
    expect(configMapOf(objects).metadata.namespace).toBe('backup-system');
    expect(objects['daemonset-node-agent.yaml'].metadata.namespace).toBe('backup-system');
  });

  it('is named node-agent-config by default', () => {
    const objects = objectsFor({ config: FULL_CONFIG });
    expect(configMapFiles(objects)).toEqual(['configmap-node-agent-config.yaml']);
    expect(configMapOf(objects).metadata.name).toBe('node-agent-config');
  });

  it('is named nodeAgent.configMapName on 1.15+, and the flag names it', () => {
    const objects = objectsFor({ velero: { version: '1.15.1' }, nodeAgent: { configMapName: 'node-agent-tuning' }, config: { loadConcurrency: { globalConfig: 1 } } });
    expect(configMapOf(objects).metadata.name).toBe('node-agent-tuning');
    expect(objects['daemonset-node-agent.yaml'].spec.template.spec.containers[0].args).toContain('--node-agent-configmap=node-agent-tuning');
  });

  it.each(['1.13.2', '1.14.1'])('is named node-agent-config on %s, with no flag', (version) => {
    const objects = objectsFor({ velero: { version }, config: { loadConcurrency: { globalConfig: 1 } } });
    expect(configMapOf(objects).metadata.name).toBe('node-agent-config');
    const args: string[] = objects['daemonset-node-agent.yaml'].spec.template.spec.containers[0].args;
    expect(args.filter((a) => a.startsWith('--node-agent-configmap'))).toEqual([]);
  });

  it('is named node-agent-config on 1.14 when configMapName says node-agent-config', () => {
    const objects = objectsFor({ velero: { version: '1.14.1' }, nodeAgent: { configMapName: 'node-agent-config' }, config: { loadConcurrency: { globalConfig: 1 } } });
    expect(configMapOf(objects).metadata.name).toBe('node-agent-config');
  });
});

describe('no config', () => {
  it('renders no ConfigMap', () => {
    expect(configMapFiles(objectsFor({}))).toEqual([]);
  });

  it('renders no ConfigMap even with nodeAgent.configMapName', () => {
    expect(configMapFiles(objectsFor({ nodeAgent: { configMapName: 'node-agent-tuning' } }))).toEqual([]);
  });

  it('renders the DaemonSet and the kustomization only', () => {
    expect(Object.keys(objectsFor({})).sort()).toEqual(['daemonset-node-agent.yaml', 'kustomization.yaml']);
  });
});

describe('pasting the JSON of an existing ConfigMap', () => {
  const pasted =
    '{"loadConcurrency": {"globalConfig": 2, "perNodeConfig": [{"nodeSelector": {"matchLabels": {"pool": "big"}}, "number": 4}]}, ' +
    '"podResources": {"cpuRequest": "500m", "cpuLimit": "1", "memoryRequest": "256Mi", "memoryLimit": "1Gi"}, ' +
    '"backupPVC": {"gp3": {"storageClass": "gp3-backup", "readOnly": false}}}';

  it('renders from a one-line JSON flow mapping', () => {
    const cm = configMapOf(objectsOf(`velero:\n  version: "1.18.1"\nconfig: ${pasted}\n`));
    expect(JSON.parse(dataText(cm))).toEqual(JSON.parse(pasted));
  });

  it('renders from multi-line JSON, as copied out of kubectl get -o json', () => {
    const multiLine = JSON.stringify(JSON.parse(pasted), null, 2)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n');
    const cm = configMapOf(objectsOf(`velero:\n  version: "1.18.1"\nconfig:\n${multiLine}\n`));
    expect(JSON.parse(dataText(cm))).toEqual(JSON.parse(pasted));
  });

  it('renders the same bytes as the same config written as block YAML', () => {
    const fromJson = renderedFiles(`velero:\n  version: "1.18.1"\nconfig: ${pasted}\n`);
    const fromYaml = renderedFiles(envYaml({ config: JSON.parse(pasted) }));
    expect(fromJson.get('configmap-node-agent-config.yaml')).toBe(fromYaml.get('configmap-node-agent-config.yaml'));
    expect(fromJson.get('daemonset-node-agent.yaml')).toBe(fromYaml.get('daemonset-node-agent.yaml'));
  });
});

describe('kustomization.yaml', () => {
  const everything = envYaml({
    platform: 'openshift',
    velero: { createNamespace: true, credentialsSecret: 'cloud-credentials' },
    config: FULL_CONFIG,
  });

  it('lists every other file in the folder, sorted', () => {
    const files = renderedFiles(everything);
    const kustomization = objectsOf(everything)['kustomization.yaml'];
    const others = [...files.keys()].filter((f) => f !== 'kustomization.yaml');
    expect(others).toHaveLength(4);
    expect(kustomization.resources).toEqual([...others].sort());
    expect(kustomization.resources).toEqual([
      'configmap-node-agent-config.yaml',
      'daemonset-node-agent.yaml',
      'namespace-velero.yaml',
      'rolebinding-velero-scc-privileged.yaml',
    ]);
  });

  it('is a kustomize Kustomization', () => {
    const kustomization = objectsOf(everything)['kustomization.yaml'];
    expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect(kustomization.kind).toBe('Kustomization');
  });

  it('does not list itself', () => {
    expect(objectsOf(everything)['kustomization.yaml'].resources).not.toContain('kustomization.yaml');
  });

  it('lists only the DaemonSet without config, namespace or OpenShift', () => {
    expect(objectsFor({})['kustomization.yaml'].resources).toEqual(['daemonset-node-agent.yaml']);
  });

  it('lists the ConfigMap when a config is set', () => {
    expect(objectsFor({ config: { loadConcurrency: { globalConfig: 1 } } })['kustomization.yaml'].resources).toEqual([
      'configmap-node-agent-config.yaml',
      'daemonset-node-agent.yaml',
    ]);
  });
});

describe('deterministic output', () => {
  const input = envYaml({
    platform: 'openshift',
    velero: { createNamespace: true, credentialsSecret: 'cloud-credentials', features: ['EnableCSI'] },
    nodeAgent: { podLabels: { team: 'storage' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }], resources: { requests: { cpu: 1 } } },
    config: FULL_CONFIG,
  });

  it('renders byte-identical files for the same input twice', () => {
    const first = renderedFiles(input);
    const second = renderedFiles(input);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [name, text] of first) expect(second.get(name)).toBe(text);
  });

  it('renders byte-identical files from the same environments folder twice', () => {
    const dir = environmentsDir({ 'test-env.yaml': input });
    const texts = () => synthesize(dir).rendered.map((env) => [env.name, [...env.files]]);
    const first = texts();
    expect(first).toHaveLength(1);
    expect(texts()).toEqual(first);
  });

  it('renders the same ConfigMap bytes for a config written in another key order', () => {
    const reversed = Object.fromEntries(Object.entries(FULL_CONFIG).reverse());
    const a = renderedFiles(envYaml({ config: FULL_CONFIG }));
    const b = renderedFiles(envYaml({ config: reversed }));
    expect(b.get('configmap-node-agent-config.yaml')).toBe(a.get('configmap-node-agent-config.yaml'));
    expect(b.get('daemonset-node-agent.yaml')).toBe(a.get('daemonset-node-agent.yaml'));
  });
});

// ---------------------------------------------------------------------------------------------
// lint-configmap on a live ConfigMap

const ROOT = path.resolve(__dirname, '..');
const DATA = 'data["node-agent-config.json"]';

/** A file from its lines: line N of the file is the N-th argument. */
const fileOf = (...lines: string[]) => lines.join('\n') + '\n';

/** Writes `content` to a temporary file, lints it with --format json; exit code and findings. */
function lintFile(content: string | Buffer, name = 'cm.yaml', args: string[] = []) {
  const file = path.join(tmp('lint-'), name);
  fs.writeFileSync(file, content);
  const run = cli(['lint-configmap', file, '--format', 'json', ...args]);
  const findings: { file: string; line: number; column: number; path: string; rule: string; severity: string; message: string; hint: string | null }[] = run.out ? JSON.parse(run.out).findings : [];
  return { ...run, file, findings, at: findings.map(({ line, column, path: p, rule, severity }) => ({ line, column, path: p, rule, severity })) };
}

/** The tool as a user runs it, with `input` on standard input. */
const runWithStdin = (args: string[], input: string | Buffer) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 120_000 });

describe('lint-configmap: the JSON as Go decodes it, placed in the file', () => {
  test('a trailing comma inside a block literal: one json-syntax error at the comma', () => {
    const text = fileOf(
      'apiVersion: v1', //                                 1
      'data:', //                                          2
      '  node-agent-config.json: |', //                    3
      '    {', //                                          4
      '      "loadConcurrency": {', //                     5
      '        "globalConfig": 2,', //                     6
      '        "prepareQueueLength": 10,', //              7
      '      }', //                                        8
      '    }', //                                          9
      'kind: ConfigMap', //                                10
      'metadata:', //                                      11
      '  name: node-agent-config', //                      12
      '  namespace: velero', //                            13
    );
    const r = lintFile(text);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      {
        file: r.file, line: 7, column: 33, path: DATA, rule: 'json-syntax', severity: 'error',
        message: "invalid JSON: trailing comma before '}': JSON allows none (Go: invalid character '}' looking for beginning of object key string)",
        hint: 'json.Unmarshal decodes nothing then: node-agent exits at startup from Velero 1.17; before 1.17 it ignores the whole ConfigMap',
      },
    ]);
    expect(text.split('\n')[6][32]).toBe(',');
  });

  test('a raw tab inside a string: json-syntax at its column', () => {
    const text = fileOf('apiVersion: v1', 'kind: ConfigMap', 'data:', '  c.json: |', '    {"priorityClassName": "velero\tcritical"}');
    const r = lintFile(text);
    expect(r.at).toEqual([{ line: 5, column: 34, path: 'data["c.json"]', rule: 'json-syntax', severity: 'error' }]);
    expect(r.findings[0].message).toBe("invalid JSON: invalid character '\\t' in string literal: write a tab as \\t");
    expect(text.split('\n')[4][33]).toBe('\t');
  });

  test('duplicate keys, a folded key and a null: warnings at each; exit 0', () => {
    const text = fileOf(
      'apiVersion: v1',
      'kind: ConfigMap',
      'data:',
      '  c.json: |',
      '    {"loadConcurrency": {"globalConfig": 1},', //     5
      '     "LoadConcurrency": {"prepareQueueLength": 2},', // 6
      '     "podLabels": null}', //                           7
    );
    const r = lintFile(text);
    expect(r.code).toBe(0);
    expect(r.at).toEqual([
      { line: 6, column: 6, path: 'data["c.json"].LoadConcurrency', rule: 'case-insensitive-key', severity: 'warning' },
      { line: 6, column: 6, path: 'data["c.json"].LoadConcurrency', rule: 'duplicate-key', severity: 'warning' },
      { line: 7, column: 19, path: 'data["c.json"].podLabels', rule: 'null-value', severity: 'warning' },
    ]);
    expect(r.findings[1].message).toBe(`duplicate key "LoadConcurrency": merged into the earlier object (a field set in both takes this copy's value)`);
  });

  test('a bare JSON file with duplicate keys is judged as Go does, not refused as YAML', () => {
    const r = lintFile('{"priorityClassName": "a", "priorityClassName": "b"}\n', 'config.json');
    expect(r.code).toBe(0);
    expect(r.at).toEqual([{ line: 1, column: 28, path: 'priorityClassName', rule: 'duplicate-key', severity: 'warning' }]);
    expect(r.findings[0].message).toBe('duplicate key "priorityClassName": the last value wins');
  });

  test('a rule finding points at the JSON that set the value last', () => {
    const r = lintFile('{"loadConcurrency": {"globalConfig": 4},\n "loadConcurrency": {"globalConfig": 0}}\n', 'config.json');
    expect(r.at).toEqual([
      { line: 2, column: 2, path: 'loadConcurrency', rule: 'duplicate-key', severity: 'warning' },
      { line: 2, column: 38, path: 'loadConcurrency.globalConfig', rule: 'load-concurrency-minimum', severity: 'error' },
    ]);
  });

  test('nesting 100,000 levels deep: one finding, no stack trace', () => {
    const r = lintFile('{"podLabels": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}', 'config.json');
    expect(r.code).toBe(1);
    expect(r.findings.map(({ line, column, rule, message }) => ({ line, column, rule, message }))).toEqual([
      // '{' is level 1: the 256th '[' (after the 14 characters of '{"podLabels": ') is level 257.
      { line: 1, column: 14 + 256, rule: 'yaml-syntax', message: 'the input nests deeper than 256 levels here: not read' },
    ]);
  });

  test('10,000 unknown keys: 10,000 findings, each placed', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `"unknown${i}": ${i}`);
    const r = lintFile(`{\n${keys.join(',\n')}\n}\n`, 'config.json');
    expect(r.code).toBe(1);
    expect(r.findings).toHaveLength(10_000);
    expect(new Set(r.findings.map((f) => f.rule))).toEqual(new Set(['schema']));
    expect(r.at[9_999]).toEqual({ line: 10_001, column: 1, path: 'unknown9999', rule: 'schema', severity: 'error' });
  });
});

describe('lint-configmap: kind List', () => {
  const LIST = fileOf(
    'apiVersion: v1', //                                             1
    'items:', //                                                     2
    '- apiVersion: v1', //                                           3
    '  data:', //                                                    4
    '    a.json: |', //                                              5
    '      {"loadConcurrency": {"globalConfig": 0}}', //             6
    '  kind: ConfigMap', //                                          7
    '  metadata:', //                                                8
    '    name: node-agent-config', //                                9
    '- apiVersion: v1', //                                           10
    '  data:', //                                                    11
    '    token: c2VjcmV0', //                                        12
    '  kind: Secret', //                                             13
    '  metadata:', //                                                14
    '    name: cloud-credentials', //                                15
    '- apiVersion: v1', //                                           16
    '  data:', //                                                    17
    '    b.json: |', //                                              18
    '      {"podResources": {"cpuRequest": 1}}', //                  19
    '  kind: ConfigMap', //                                          20
    '  metadata:', //                                                21
    '    name: node-agent-tuning', //                                22
    'kind: List', //                                                 23
    'metadata:', //                                                  24
    '  resourceVersion: ""', //                                      25
  );

  test('each ConfigMap is linted under items[N]; the Secret is skipped with a warning naming its kind', () => {
    const r = lintFile(LIST);
    expect(r.code).toBe(1);
    expect(r.at).toEqual([
      { line: 6, column: 44, path: 'items[0].data["a.json"].loadConcurrency.globalConfig', rule: 'load-concurrency-minimum', severity: 'error' },
      { line: 10, column: 3, path: 'items[1]', rule: 'list-item', severity: 'warning' },
      { line: 19, column: 39, path: 'items[2].data["b.json"].podResources.cpuRequest', rule: 'go-decode', severity: 'error' },
    ]);
    expect(LIST.split('\n')[5][43]).toBe('0');
    expect(LIST.split('\n')[18][38]).toBe('1');
    expect(r.findings.find((f) => f.rule === 'list-item')?.message).toBe('skipped: items[1] is a Secret, not a ConfigMap');
  });

  test('an empty List: a warning that nothing was checked', () => {
    const r = lintFile(fileOf('apiVersion: v1', 'items: []', 'kind: List'));
    expect(r.code).toBe(0);
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([['list-item', 'the List has no items: nothing was checked']]);
  });
});

describe('lint-configmap: what FILE may be', () => {
  const VALID = fileOf('apiVersion: v1', 'kind: ConfigMap', 'data:', '  c.json: |', '    {"loadConcurrency": {"globalConfig": 0}}');

  test('- reads standard input; findings name it <stdin>', () => {
    const json = runWithStdin(['lint-configmap', '-', '--format', 'json'], VALID);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).findings).toEqual([
      {
        file: '<stdin>', line: 5, column: 42, path: 'data["c.json"].loadConcurrency.globalConfig', rule: 'load-concurrency-minimum', severity: 'error',
        message: 'globalConfig is 0: Velero uses 1 instead', hint: 'use 1 or more',
      },
    ]);
    const text = runWithStdin(['lint-configmap', '-'], VALID);
    expect(text.status).toBe(1);
    expect(text.stderr.trim().split('\n').slice(-1)).toEqual(['1 error, 0 warnings; <stdin> checked against Velero 1.18.1.']);
  });

  test('a FIFO is refused by name, without waiting for a writer', () => {
    const fifo = path.join(tmp('lint-'), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = cli(['lint-configmap', fifo]);
    expect(r).toEqual({ code: 2, out: '', err: `error: ${fifo} is a FIFO (named pipe), not a regular file: to lint what comes through a pipe, give - and pipe it to standard input` });
  });

  test('a device or a directory is refused by name', () => {
    expect(cli(['lint-configmap', '/dev/null'])).toEqual({ code: 2, out: '', err: 'error: /dev/null is a device, not a regular file' });
    const dir = tmp('lint-');
    expect(cli(['lint-configmap', dir])).toEqual({ code: 2, out: '', err: `error: ${dir} is a directory, not a regular file` });
  });

  test('invalid UTF-8: an error at the line and column of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from(fileOf('apiVersion: v1', 'kind: ConfigMap', 'data:', '  c.json: |').slice(0, -1)), Buffer.from('\n    {"podLabels": {"\u00fc": "caf'), Buffer.from([0xe9]), Buffer.from('"}}\n')]);
    const r = lintFile(bytes);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([
      { file: r.file, line: 5, column: 29, path: '', rule: 'input-encoding', severity: 'error', message: 'invalid UTF-8: byte 0xe9 does not start or continue a character here', hint: 'save the file as UTF-8' },
    ]);
  });

  test('more than 8 MiB: an error, nothing else read', () => {
    const r = lintFile(Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20), 'huge.json');
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => [f.rule, f.line, f.column, f.message])).toEqual([['input-size', 1, 1, 'the input is larger than 8 MiB']]);
  });
});

describe('lint-configmap: the checks validate runs too', () => {
  test("the backupPVC-storage-class of Velero's doc is not a StorageClass name, in lint-configmap as in validate", () => {
    const r = lintFile(fileOf('{"backupPVC": {"backupPVC-storage-class": {"storageClass": "backupPVC-storage-class"}}}'), 'config.json');
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => [f.rule, f.path, f.message])).toEqual([
      ['storage-class-name', 'backupPVC.backupPVC-storage-class', '"backupPVC-storage-class" cannot be a StorageClass name: it must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit'],
      ['storage-class-name', 'backupPVC.backupPVC-storage-class.storageClass', '"backupPVC-storage-class" cannot be a StorageClass name: it must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit'],
    ]);
  });

  test('privilegedFsBackup and backupPVC annotations are fields of 1.17.1', () => {
    const text = fileOf('{"privilegedFsBackup": true, "backupPVC": {"gp3": {"annotations": {"example.com/tier": "cold"}}}}');
    expect(lintFile(text, 'config.json', ['--velero-version', '1.17.1']).findings).toEqual([]);
    expect(lintFile(text, 'config.json', ['--velero-version', '1.17.0']).findings.map((f) => [f.rule, f.path])).toEqual([
      ['velero-version', 'privilegedFsBackup'],
      ['velero-version', 'backupPVC.gp3.annotations'],
    ]);
  });
});
