/**
 * The package as another repository uses it: `npm pack`, installed into a scratch repository,
 * then the `velero-node-agent` command through npx and the construct library through require.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmp } from './helpers';

const ROOT = path.resolve(__dirname, '..');
let repo: string;

beforeAll(() => {
  repo = tmp('fleet-repo-');
  execFileSync('npm', ['pack', '--silent', '--pack-destination', repo], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = fs.readdirSync(repo).find((f) => f.endsWith('.tgz'))!;
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'fleet', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', `./${tarball}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repo, stdio: 'pipe' });
  fs.mkdirSync(path.join(repo, 'clusters'));
  fs.writeFileSync(path.join(repo, 'clusters', 'prod.yaml'), 'platform: k0s\nvelero:\n  version: 1.18.1\nconfig:\n  loadConcurrency: {globalConfig: 2}\n');
}, 300_000);

/** `npx velero-node-agent ARGS` in the scratch repository (`--` keeps npm from reading --version and --help as its own). */
const npx = (args: string[], input?: string) =>
  spawnSync('npx', ['--no', '--', 'velero-node-agent', ...args], { cwd: repo, encoding: 'utf8', input, timeout: 120_000 });

describe('the velero-node-agent command from another repository', () => {
  test('--version and --help', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(npx(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    expect(npx(['--help']).stdout).toMatch(/^Usage: velero-node-agent \[synth\]/);
  });

  test('synth --environments clusters/ --output rendered/, then check', () => {
    const synth = npx(['synth', '--environments', 'clusters/', '--output', 'rendered/']);
    expect({ status: synth.status, stdout: synth.stdout }).toEqual({ status: 0, stdout: 'rendered/prod/  3 files\nRendered 1 environment into rendered/.\n' });
    expect(fs.readdirSync(path.join(repo, 'rendered', 'prod')).sort()).toEqual(['configmap-node-agent-config.yaml', 'daemonset-node-agent.yaml', 'kustomization.yaml']);
    expect(fs.readFileSync(path.join(repo, 'rendered', 'prod', 'daemonset-node-agent.yaml'), 'utf8')).toContain('path: /var/lib/k0s/kubelet/pods');
    expect(npx(['check', '--environments', 'clusters', '--output', 'rendered'])).toMatchObject({ status: 0, stdout: 'rendered is up to date with clusters (1 environment).\n' });
  });

  test('validate --format json', () => {
    const r = npx(['validate', '--environments', 'clusters', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ findings: [], waivers: [], skipped: [] });
  });

  test('lint-configmap - reads a kind: List from standard input', () => {
    const list = [
      'apiVersion: v1', 'kind: List', 'items:',
      '  - apiVersion: v1', '    kind: ConfigMap', '    metadata: {name: node-agent-config}',
      '    data:', '      node-agent-config.json: \'{"loadConcurrency": {"globalConfig": 1.0}}\'',
    ].join('\n');
    const r = npx(['lint-configmap', '-', '--format', 'json'], list);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.file, f.rule, f.path])).toEqual([['<stdin>', 'go-decode', 'items[0].data["node-agent-config.json"].loadConcurrency.globalConfig']]);
  });
});

describe('the construct library from another repository', () => {
  test('require("velero-node-agent-render") gives the construct, and a bad app fails its synth', () => {
    const script = `
      const { App, Chart, Testing } = require('cdk8s');
      const { VeleroNodeAgent, RELEASES } = require('velero-node-agent-render');
      const good = Testing.chart();
      new VeleroNodeAgent(good, 'node-agent', { version: '1.18.1', platform: 'tkgi' });
      const ds = Testing.synth(good)[0];
      const bad = Testing.chart();
      new VeleroNodeAgent(bad, 'node-agent', { version: '1.17' });
      let failure = '';
      try { Testing.synth(bad); } catch (e) { failure = e.message.split('\\n')[1].trim(); }
      console.log(JSON.stringify({ releases: RELEASES.length, hostPods: ds.spec.template.spec.volumes[0].hostPath.path, failure }));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      releases: 16,
      hostPods: '/var/vcap/data/kubelet/pods',
      failure: '[test/node-agent] error  schema  version  expected a Velero release version such as "1.18.1"; got the string "1.17" (write the full version, quoted, without a leading v)',
    });
  });

  test('the package holds the compiled library and command, not the repository', () => {
    const installed = path.join(repo, 'node_modules', 'velero-node-agent-render');
    expect(fs.existsSync(path.join(installed, 'lib', 'index.d.ts'))).toBe(true);
    for (const absent of ['environments', 'dist', 'test', 'main.ts', 'tsconfig.json']) expect(fs.existsSync(path.join(installed, absent))).toBe(false);
  });
});
