/**
 * What makes a fleet fast must not change what it renders: the compiled command renders a fleet
 * large enough for its worker threads (pipeline/render-pool.ts) byte for byte as this process
 * renders it on one thread, and a second synth links the files that stay the same
 * (pipeline/output/write-files.ts) without changing a byte.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeFolder } from '../pipeline/output/write-files';
import { reviewFolders, toJson, toMarkdown } from '../review';
import { outputFolders, synthesize } from '../pipeline/synth';
import { BIN, tmp, tree } from './helpers';

/** More environments than the pool's threshold, each rendering its own DaemonSet and ConfigMap. */
function fleet(count: number, cpuLimit = '1'): string {
  const dir = tmp('scale-envs-');
  fs.writeFileSync(path.join(dir, '_fleet.yaml'), `velero: {version: 1.18.1}\nconfig:\n  podResources: {cpuRequest: 100m, cpuLimit: "${cpuLimit}", memoryRequest: 128Mi, memoryLimit: 1Gi}\n`);
  for (let i = 0; i < count; i++) {
    const platform = ['kubernetes', 'openshift', 'nutanix'][i % 3];
    fs.writeFileSync(path.join(dir, `env-${String(i).padStart(3, '0')}.yaml`), `extends: [_fleet.yaml]\nplatform: ${platform}\nconfig:\n  loadConcurrency: {globalConfig: ${1 + i}}\n`);
  }
  fs.writeFileSync(path.join(dir, 'wired.yaml'), 'velero: {version: 1.17.2}\ngitops: {repoURL: "https://git.example.com/fleet.git", targetRevision: main, flux: {}}\n');
  return dir;
}

const synth = (environments: string, output: string) => spawnSync(process.execPath, [BIN, 'synth', '--environments', environments, '--output', output], { encoding: 'utf8' });

describe('a fleet rendered by worker threads', () => {
  const environments = fleet(150);
  const output = path.join(tmp('scale-out-'), 'dist');
  const first = synth(environments, output);

  test('is byte for byte what one thread renders, and nothing else', () => {
    expect(fs.existsSync(path.join(path.dirname(BIN), 'pipeline', 'render-worker.js'))).toBe(true); // so the command used the pool
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const expected: Record<string, string> = {};
    for (const { name, files } of outputFolders(synthesize(environments, output))) {
      for (const [file, text] of files) expected[path.join(name, file)] = text;
    }
    const written = Object.fromEntries(Object.entries(tree(output) as Record<string, string>).filter(([p]) => !p.endsWith('/')));
    expect(Object.keys(written).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, text] of Object.entries(expected)) expect([file, written[file]]).toEqual([file, text]);
  });

  test('hands back the same manifests, key order included, as one thread does', () => {
    // The compiled synthesize uses the pool (its worker module is beside it); this process's does not.
    const compiled = require(path.join(path.dirname(BIN), 'pipeline', 'synth')) as typeof import('../pipeline/synth');
    const manifests = (result: ReturnType<typeof synthesize>) => JSON.stringify(result.rendered.map((r) => [r.name, [...r.manifests]]));
    const pooled = compiled.synthesize(environments);
    expect(pooled.rendered).toHaveLength(151);
    expect(manifests(pooled)).toBe(manifests(synthesize(environments)));
  });

  test('a second synth keeps unchanged files (their inode) and rewrites changed ones', () => {
    const inode = (file: string) => fs.statSync(path.join(output, file)).ino;
    const before = {
      daemonSet: inode('env-000/daemonset-node-agent.yaml'),
      configMap: inode('env-000/configmap-node-agent-config.yaml'),
      unchanged: inode('env-001/daemonset-node-agent.yaml'),
    };
    fs.writeFileSync(path.join(environments, 'env-000.yaml'), 'extends: [_fleet.yaml]\nplatform: kubernetes\nconfig:\n  loadConcurrency: {globalConfig: 99}\n');
    const second = synth(environments, output);
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' });
    expect(inode('env-001/daemonset-node-agent.yaml')).toBe(before.unchanged);
    expect(inode('env-000/configmap-node-agent-config.yaml')).not.toBe(before.configMap);
    expect(inode('env-000/daemonset-node-agent.yaml')).not.toBe(before.daemonSet); // the config hash changed
    expect(fs.readFileSync(path.join(output, 'env-000/configmap-node-agent-config.yaml'), 'utf8')).toContain('"globalConfig": 99');
    expect(spawnSync(process.execPath, [BIN, 'check', '--environments', environments, '--output', output], { encoding: 'utf8' }).status).toBe(0);
  });

  test('an error anywhere writes nothing, and leaves no staging folder', () => {
    const broken = fleet(120);
    fs.writeFileSync(path.join(broken, 'env-119.yaml'), 'extends: [_fleet.yaml]\nconfig:\n  loadConcurrency: {globalConfig: 0}\n');
    const into = tmp('scale-broken-');
    const r = synth(broken, path.join(into, 'dist'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('load-concurrency-minimum');
    expect(fs.readdirSync(into)).toEqual([]);
  });
});

describe('a fleet read ahead by a worker thread', () => {
  test('gives the findings one thread gives, for every kind of unreadable or invalid file', () => {
    const environments = fleet(120);
    const broken: Record<string, string> = {
      'env-010.yaml': 'extends: [_fleet.yaml]\nplatform: [kubernetes\n',
      'env-020.yaml': 'extends: [_fleet.yaml]\nplatform: kubernetes\nplatform: nutanix\n',
      'env-030.yaml': 'extends: [_fleet.yaml]\nconfig:\n  __proto__: {polluted: true}\n  loadConcurrency: {globalConfig: 1.0}\n',
      'env-040.yaml': 'extends: [_fleet.yaml]\nconfig:\n  loadConcurrency: {globalConfig: 9007199254740993}\n',
      'env-050.yaml': 'extends: [_fleet.yaml]\nconfig:\n  loadConcurrency: {globalConfig: .inf}\n',
      'env-060.yaml': '- a list\n',
      'env-070.yaml': '',
      'env-080.yaml': 'extends: [_missing.yaml]\n',
    };
    for (const [file, text] of Object.entries(broken)) fs.writeFileSync(path.join(environments, file), text);
    fs.writeFileSync(path.join(tmp('scale-outside-'), 'outside.yaml'), 'velero: {version: 1.18.1}\n');
    fs.rmSync(path.join(environments, 'env-090.yaml'));
    fs.symlinkSync(path.join(path.dirname(environments), 'outside.yaml'), path.join(environments, 'env-090.yaml'));
    fs.rmSync(path.join(environments, 'env-100.yaml'));
    fs.mkdirSync(path.join(environments, 'env-100.yaml'));
    const r = spawnSync(process.execPath, [BIN, 'validate', '--environments', environments, '--format', 'json'], { encoding: 'utf8' });
    expect(fs.existsSync(path.join(path.dirname(BIN), 'pipeline', 'read-worker.js'))).toBe(true); // so the command read ahead
    expect(r.status).toBe(1);
    const inProcess = synthesize(environments).findings.map(({ file, line, column, path: keyPath, rule, severity, message, hint }) => ({ file, line, column, path: keyPath, rule, severity, message, hint }));
    expect(inProcess.map((f) => f.rule)).toEqual(expect.arrayContaining(['yaml-syntax', 'input-file', 'extends', 'schema', 'number']));
    expect(JSON.parse(r.stdout).findings).toEqual(inProcess);
  });
});

describe('a fleet reviewed by worker threads', () => {
  test('is the report one thread writes, in Markdown and in JSON', () => {
    const render = (cpuLimit: string) => {
      const output = path.join(tmp('scale-review-'), 'dist');
      expect(synth(fleet(130, cpuLimit), output).status).toBe(0);
      return output;
    };
    const [before, after] = [render('1'), render('2')];
    expect(fs.existsSync(path.join(path.dirname(BIN), 'review', 'review-worker.js'))).toBe(true);
    const review = reviewFolders(before, after);
    for (const [format, expected] of [['markdown', toMarkdown(review)], ['json', toJson(review)]]) {
      const r = spawnSync(process.execPath, [BIN, 'diff', before, after, '--format', format], { encoding: 'utf8' });
      expect({ format, status: r.status, out: r.stdout }).toEqual({ format, status: 0, out: `${expected}\n` });
    }
  });
});

describe('writeFolder: a file that stays the same is linked from the tree it replaces', () => {
  const setup = () => {
    const root = tmp('write-folder-');
    const old = path.join(root, 'old');
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, 'same.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(old, 'changed.yaml'), 'b: 1\n');
    return { root, old, staged: path.join(root, 'new') };
  };

  test('the same content is the same inode; other content a new file', () => {
    const { old, staged } = setup();
    writeFolder({ folder: staged, files: new Map([['same.yaml', 'a: 1\n'], ['changed.yaml', 'b: 2\n'], ['added.yaml', 'c: 1\n']]), reuseFrom: old });
    expect(fs.statSync(path.join(staged, 'same.yaml')).ino).toBe(fs.statSync(path.join(old, 'same.yaml')).ino);
    expect(fs.statSync(path.join(staged, 'changed.yaml')).ino).not.toBe(fs.statSync(path.join(old, 'changed.yaml')).ino);
    expect(tree(staged)).toEqual({ 'added.yaml': 'c: 1\n', 'changed.yaml': 'b: 2\n', 'same.yaml': 'a: 1\n' });
  });

  test('never a symbolic link, nor a file whose mode a new file would not have', () => {
    const { root, old, staged } = setup();
    fs.writeFileSync(path.join(root, 'outside.yaml'), 'a: 1\n');
    fs.symlinkSync(path.join(root, 'outside.yaml'), path.join(old, 'linked.yaml'));
    fs.chmodSync(path.join(old, 'same.yaml'), 0o755);
    writeFolder({ folder: staged, files: new Map([['same.yaml', 'a: 1\n'], ['linked.yaml', 'a: 1\n']]), reuseFrom: old });
    for (const file of ['same.yaml', 'linked.yaml']) {
      const st = fs.lstatSync(path.join(staged, file));
      expect([file, st.isFile(), st.mode & 0o777, st.nlink]).toEqual([file, true, 0o666 & ~process.umask(), 1]);
    }
  });
});
