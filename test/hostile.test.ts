/**
 * Hostile input in the environments folder: what a pull request can commit. Each case is a
 * literal input; each asserts the finding (or the safe rendering), and that nothing renders
 * from a broken input. Output-folder attacks are in test/output.test.ts.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, formatFinding } from '../pipeline/findings';
import { synthesize } from '../pipeline/synth';
import { cli, environmentsDir, tmp } from './helpers';

const V = 'velero:\n  version: "1.18.1"\n';

function run(files: Record<string, string>) {
  const dir = environmentsDir(files);
  const result = synthesize(dir);
  return { ...result, dir, at: (name: string) => path.join(dir, name), errors: result.findings.filter((f) => f.severity === 'error') };
}

const ruleAndMessage = (findings: readonly Finding[]) => findings.map((f) => [f.rule, f.path, f.message]);

describe('__proto__, constructor and prototype are ordinary unknown keys', () => {
  test('a top-level __proto__ is reported, and what is under it takes no effect', () => {
    const r = run({ 'e.yaml': `${V}__proto__:\n  nodeAgent:\n    privileged: true\n` });
    expect(r.errors.map((f) => [f.rule, f.path, f.message, f.line])).toEqual([['schema', '__proto__', 'unknown key "__proto__"', 3]]);
    expect(r.rendered).toEqual([]);
  });

  test('nodeAgent.__proto__, with a fragment that also sets nodeAgent, is reported; nothing privileged renders', () => {
    const r = run({ '_f.yaml': 'nodeAgent:\n  podLabels: {team: storage}\n', 'e.yaml': `extends: [_f.yaml]\n${V}nodeAgent:\n  __proto__:\n    privileged: true\n` });
    expect(ruleAndMessage(r.errors)).toEqual([['schema', 'nodeAgent.__proto__', 'unknown key "__proto__"']]);
    expect(r.rendered).toEqual([]);
  });

  test('a waiver under __proto__ is not in force', () => {
    const r = run({ 'e.yaml': `${V}  image: velero/velero:latest\n__proto__:\n  policyExceptions:\n    - {rule: image-pinned, reason: lab}\n` });
    expect(r.waivers).toEqual([]);
    expect(r.errors.map((f) => f.rule).sort()).toEqual(['image-pinned', 'schema']);
  });

  test.each(['constructor', 'prototype', '__proto__'])('%s under config is an unknown key', (key) => {
    const r = run({ 'e.yaml': `${V}config:\n  ${key}:\n    loadConcurrency: {globalConfig: 1}\n` });
    expect(ruleAndMessage(r.errors)).toEqual([['schema', `config.${key}`, `unknown key "${key}"`]]);
  });

  test('a podLabels key __proto__ is an invalid label key, not a prototype', () => {
    const r = run({ 'e.yaml': `${V}nodeAgent:\n  podLabels:\n    __proto__: x\n` });
    expect(ruleAndMessage(r.errors)).toEqual([
      ['labels-and-annotations', 'nodeAgent.podLabels.__proto__', 'invalid label key "__proto__": "__proto__" must be at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit'],
    ]);
  });
});

describe('keys and values echoed in findings are escaped', () => {
  test('a key with a newline cannot forge a finding line or a workflow command', () => {
    const r = run({ 'e.yaml': `${V}"x\\n::error file=a::forged": 1\n` });
    const lines = r.findings.map(formatFinding);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('unknown key "x\\n::error file=a::forged"');
    expect(lines[0].split('\n')).toHaveLength(1);
  });

  test('through the CLI, stderr has one finding line for it', () => {
    const dir = environmentsDir({ 'e.yaml': `${V}"a\\r\\nb\\u001b[31m": 1\n` });
    const r = cli(['validate', '--environments', dir]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.includes('unknown key'))).toEqual([
      `${path.join(dir, 'e.yaml')}:3:1  error  schema  ["a\\r\\nb\\u001b[31m"]  unknown key "a\\r\\nb\\u001b[31m" (expected one of: name, platform, kubeletRootDir, velero, nodeAgent, storageClasses, priorityClasses, config, policyExceptions, gitops)`,
    ]);
  });
});

describe('extends: bounded, inside the folder, regular files only', () => {
  test('a diamond of fragments listed twice at each of 22 levels is read once per fragment and ends in a finding', () => {
    const files: Record<string, string> = { '_f22.yaml': V, 'env.yaml': 'extends: [_f0.yaml]\n' };
    for (let i = 0; i < 22; i++) files[`_f${i}.yaml`] = `extends: [_f${i + 1}.yaml, _f${i + 1}.yaml]\nnodeAgent:\n  podLabels:\n    l${i}: v\n`;
    const started = Date.now();
    const r = run(files);
    expect(Date.now() - started).toBeLessThan(10_000); // 35 s and 1.1 GB before each fragment was read once
    expect(new Set(r.errors.map((f) => f.message))).toEqual(new Set(['fragments extend each other more than 16 levels deep']));
    expect(r.rendered).toEqual([]);
  });

  test('a diamond within the depth bound renders; the header names each fragment once, in merge order', () => {
    const r = run({
      '_base.yaml': V,
      '_a.yaml': 'extends: [_base.yaml]\nnodeAgent:\n  podLabels: {a: "1"}\n',
      '_b.yaml': 'extends: [_base.yaml]\nnodeAgent:\n  podLabels: {b: "2"}\n',
      'e.yaml': 'extends: [_a.yaml, _b.yaml, _a.yaml]\n',
    });
    expect(r.errors).toEqual([]);
    // _a, then _b (each after _base), then _a again: _base re-applied after _b, then _a.
    expect(r.rendered[0].files.get('kustomization.yaml')!.split('\n')[0]).toBe('# Rendered from _b.yaml, _base.yaml, _a.yaml, e.yaml by velero-node-agent for Velero 1.18.1. Do not edit.');
  });

  test.each([
    ['an absolute path', '/etc/_passwd.yaml'],
    ['a path out of the folder', '../_outside.yaml'],
  ])('%s is an error, and nothing outside is read', (_, entry) => {
    const r = run({ 'e.yaml': `extends: ["${entry}"]\n${V}` });
    expect(ruleAndMessage(r.errors)).toEqual([['extends', 'extends[0]', `"${entry}" is outside the environments folder`]]);
  });

  test('a fragment that is a symbolic link out of the folder is not read', () => {
    const outside = path.join(tmp('outside-'), '_secret.yaml');
    fs.writeFileSync(outside, 'SECRET_TOKEN: abc\n');
    const dir = environmentsDir({ 'e.yaml': `extends: [_link.yaml]\n${V}` });
    fs.symlinkSync(outside, path.join(dir, '_link.yaml'));
    const r = synthesize(dir);
    expect(ruleAndMessage(r.findings)).toEqual([['input-file', '', 'is a symbolic link to a file outside the environments folder: not read']]);
    expect(JSON.stringify(r.findings)).not.toContain('SECRET');
  });

  test('a fragment that is a FIFO is refused by name, without hanging', () => {
    const dir = environmentsDir({ 'e.yaml': `extends: [_pipe.yaml]\n${V}` });
    execFileSync('mkfifo', [path.join(dir, '_pipe.yaml')]);
    const r = synthesize(dir);
    expect(r.findings.map((f) => [f.file, f.rule, f.message])).toEqual([[path.join(dir, '_pipe.yaml'), 'input-file', `is a FIFO (named pipe), not a regular file`]]);
  });
});

describe('environment files that are not plain files', () => {
  test('a symbolic link to a file inside the folder renders as an environment of its own', () => {
    const dir = environmentsDir({ 'prod.yaml': V });
    fs.symlinkSync('prod.yaml', path.join(dir, 'prod-copy.yaml'));
    const r = synthesize(dir);
    expect(r.findings).toEqual([]);
    expect(r.rendered.map((e) => e.name)).toEqual(['prod-copy', 'prod']);
  });

  test('a symbolic link to /proc/self/environ is refused, and nothing of it is printed', () => {
    const dir = environmentsDir({ 'ok.yaml': V });
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'leak.yaml'));
    const r = cli(['validate', '--environments', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(dir, 'leak.yaml')}:1:1  error  input-file  -  is a symbolic link to a file outside the environments folder: not read`);
    expect(r.err).not.toContain('PATH=');
  });

  test('a FIFO named like an environment is refused, not waited on', () => {
    const dir = environmentsDir({ 'ok.yaml': V });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const r = synthesize(dir);
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([['input-file', 'is not a regular file: not read']]);
    expect(r.rendered).toEqual([]);
  });

  test('invalid UTF-8 is an error at its line and column, not a silent U+FFFD', () => {
    const dir = environmentsDir({});
    fs.writeFileSync(path.join(dir, 'e.yaml'), Buffer.concat([Buffer.from(`${V}nodeAgent:\n  podLabels:\n    team: st`), Buffer.from([0xff]), Buffer.from('rage\n')]));
    const r = synthesize(dir);
    expect(r.findings.map((f) => [f.rule, f.line, f.column, f.message])).toEqual([['input-encoding', 5, 13, 'invalid UTF-8: byte 0xff does not start or continue a character here']]);
  });
});

describe('YAML that would change what the data is, or exhaust the reader', () => {
  test.each([
    ['!!omap', 'nodeAgent:\n  podLabels: !!omap\n    - a: b\n'],
    ['!!set', 'nodeAgent:\n  podLabels: !!set {a, b}\n'],
    ['!!timestamp', 'nodeAgent:\n  podAnnotations:\n    since: !!timestamp 2026-01-01\n'],
    ['!!binary', 'config:\n  priorityClassName: !!binary aGk=\n'],
  ])('a %s tag is an error', (tag, text) => {
    const r = run({ 'e.yaml': V + text });
    expect(r.errors.map((f) => [f.rule, f.message])).toEqual([['yaml-syntax', `the YAML tag ${tag} is not supported: it would change what the value means`]]);
  });

  test('billion laughs: aliases that expand past the budget end in one finding', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = run({ 'e.yaml': `${lines.join('\n')}\n${V}` });
    expect(r.errors.map((f) => [f.rule, f.message])).toEqual([['yaml-syntax', 'the document expands to more than 200000 values (aliases repeated too often?)']]);
  });

  test('100,000 nested brackets end in a finding, not an aborted process', () => {
    const r = run({ 'e.yaml': `${V}config: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` });
    expect(r.errors.map((f) => [f.rule, f.message])).toEqual([['yaml-syntax', 'the input nests deeper than 256 levels here: not read']]);
  });
});

describe('numbers are rendered exactly as Go reads them back, or refused', () => {
  const configWith = (line: string) => run({ 'e.yaml': `${V}config:\n${line}\n` });

  test.each([
    ['1.0', '  loadConcurrency:\n    globalConfig: 1.0', 'config.loadConcurrency.globalConfig'],
    ['2.0e0', '  loadConcurrency:\n    globalConfig: 2.0e0', 'config.loadConcurrency.globalConfig'],
    ['1e3', '  cachePVC:\n    storageClass: c\n    residentThresholdInMB: 1e3', 'config.cachePVC.residentThresholdInMB'],
  ])('an int written %s is an error (Go rejects it), not rendered as an integer', (written, text, keyPath) => {
    const r = configWith(text);
    expect(r.errors).toEqual([
      expect.objectContaining({
        rule: 'number', path: keyPath, message: `expected an integer, got ${written}`,
        hint: 'Velero decodes this field as a Go int, which rejects a number written with a fraction or an exponent: write it as an integer',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('9223372036854775807 (int64 max) cannot be rendered exactly: an error, not a rounded number', () => {
    const r = configWith('  cachePVC:\n    storageClass: c\n    residentThresholdInMB: 9223372036854775807');
    expect(ruleAndMessage(r.errors)).toEqual([
      ['number', 'config.cachePVC.residentThresholdInMB', '9223372036854775807 is beyond 2^53 and cannot be rendered exactly'],
    ]);
  });

  test('1e21 would render as 1e+21, which Go rejects: an error', () => {
    const r = configWith('  loadConcurrency:\n    globalConfig: 1e21');
    expect(ruleAndMessage(r.errors)).toEqual([['number', 'config.loadConcurrency.globalConfig', 'expected an integer, got 1e21']]);
  });

  test('.inf is not a number JSON can hold', () => {
    const r = run({ 'e.yaml': `${V}nodeAgent:\n  resources:\n    requests: {cpu: .inf}\n` });
    expect(ruleAndMessage(r.errors)).toEqual([['number', 'nodeAgent.resources.requests.cpu', '.inf is not a number JSON can hold']]);
  });

  test('a float where a number is allowed (a quantity) is fine, and integers render as integers', () => {
    const r = run({ 'e.yaml': `${V}nodeAgent:\n  resources:\n    requests: {cpu: 0.5}\nconfig:\n  loadConcurrency:\n    globalConfig: 0x10\n` });
    expect(r.findings).toEqual([]);
    expect(r.rendered[0].files.get('configmap-node-agent-config.yaml')).toContain('"globalConfig": 16');
  });

  test('an int from a fragment is judged where it is set', () => {
    const r = run({ '_f.yaml': 'config:\n  loadConcurrency:\n    globalConfig: 4.0\n', 'e.yaml': `extends: [_f.yaml]\n${V}` });
    expect(r.errors.map((f) => [path.basename(f.file), f.line, f.rule])).toEqual([['_f.yaml', 3, 'number']]);
  });

  test('a float in a fragment, overridden by an int in the environment, is fine', () => {
    const r = run({ '_f.yaml': 'config:\n  loadConcurrency:\n    globalConfig: 4.0\n', 'e.yaml': `extends: [_f.yaml]\n${V}config:\n  loadConcurrency:\n    globalConfig: 4\n` });
    expect(r.findings).toEqual([]);
  });
});

describe('bounded cost and output', () => {
  test('5,000 overlapping perNodeConfig rules: bounded work, the findings summarised', () => {
    const rules = Array.from({ length: 5000 }, () => '      - {nodeSelector: {}, number: 2}').join('\n');
    const started = Date.now();
    const r = run({ 'e.yaml': `${V}config:\n  loadConcurrency:\n    perNodeConfig:\n${rules}\n` });
    expect(Date.now() - started).toBeLessThan(20_000);
    const overlap = r.findings.filter((f) => f.rule === 'load-concurrency-overlap');
    // 50,000 pairs compared, each overlapping, and one finding that the comparison stopped there
    expect(overlap).toHaveLength(21);
    expect(overlap[overlap.length - 1].message).toBe('49981 more warnings of load-concurrency-overlap in this file (50001 in all; the first 20 are shown)');
  });

  test('a configMapName of 253 characters, which validate accepts, is written by synth', () => {
    const name = `${'a'.repeat(120)}.${'b'.repeat(120)}.config`;
    expect(name).toHaveLength(248);
    const envs = environmentsDir({ 'e.yaml': `${V}nodeAgent:\n  configMapName: ${name}\nconfig:\n  loadConcurrency: {globalConfig: 1}\n` });
    const out = path.join(tmp('out-'), 'dist');
    const r = cli(['--environments', envs, '--output', out]);
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(out, 'e'));
    const configMapFile = files.find((f) => f.startsWith('configmap-'))!;
    expect(configMapFile.length).toBeLessThanOrEqual(125);
    expect(fs.readFileSync(path.join(out, 'e', configMapFile), 'utf8')).toContain(`name: ${name}`);
  });

  test('a rendered ConfigMap over 1 MiB is refused', () => {
    const labels = Array.from({ length: 12_000 }, (_, i) => `      example.com/label-${i}: ${'v'.repeat(60)}`).join('\n');
    const r = run({ 'e.yaml': `${V}config:\n  podLabels:\n${labels}\n` });
    expect(r.errors.map((f) => f.rule)).toEqual(['configmap-size']);
    expect(r.rendered).toEqual([]);
  });
});
