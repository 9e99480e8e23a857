/**
 * The command line: `main(argv, env)` in-process, and `the compiled command (node lib/main.js)` as a real subprocess.
 * Every output goes to a temporary folder; environments/ and dist/ are only read.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, cli, environmentsDir, tmp } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const STACK_TRACE_LINE = /^\s{4}at /m;

/** Every directory (with a trailing "/") and every file with its content, by path relative to `dir`. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[`${child}/`] = '';
        walk(child);
      } else {
        out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
      }
    }
  };
  walk('');
  return out;
}

const ALPHA = 'platform: k0s\nvelero:\n  version: 1.18.1\nconfig:\n  loadConcurrency: {globalConfig: 1}\n';
const BETA = 'platform: openshift\nvelero:\n  version: 1.17.2\n  createNamespace: true\n';
const GAMMA_BAD = '# gamma\nvelero:\n  version: 1.18.1\nplatfrom: k0s\n';
const ALPHA_FILES = ['alpha/', 'alpha/configmap-node-agent-config.yaml', 'alpha/daemonset-node-agent.yaml', 'alpha/kustomization.yaml'];
/** OpenShift from 1.17.1: a ConfigMap with privilegedFsBackup: true even without a config. */
const BETA_FILES = [
  'beta/',
  'beta/configmap-node-agent-config.yaml',
  'beta/daemonset-node-agent.yaml',
  'beta/kustomization.yaml',
  'beta/namespace-velero.yaml',
  'beta/rolebinding-velero-scc-privileged.yaml',
];

/** A fresh environments folder and a not-yet-existing output folder in its own parent. */
function setup(files: Record<string, string> = { 'alpha.yaml': ALPHA, 'beta.yaml': BETA }) {
  const envs = environmentsDir(files);
  const parent = tmp('out-');
  const out = path.join(parent, 'out');
  return { envs, parent, out, args: ['--environments', envs, '--output', out] };
}

describe('synth', () => {
  test('exit 0, every environment written, one line per environment', () => {
    const { envs, parent, out, args } = setup();
    const r = cli(args);
    expect(r).toEqual({
      code: 0,
      out: [`${path.join(out, 'alpha')}/  3 files`, `${path.join(out, 'beta')}/  5 files`, `Rendered 2 environments into ${out}/.`].join('\n'),
      err: '',
    });
    expect(Object.keys(snapshot(out)).sort()).toEqual([...ALPHA_FILES, ...BETA_FILES].sort());
    const ds = snapshot(out)['alpha/daemonset-node-agent.yaml'];
    expect(ds.split('\n')[0]).toBe('# Rendered from alpha.yaml by velero-node-agent for Velero 1.18.1. Do not edit.');
    expect(ds).toContain('kind: DaemonSet');
    expect(ds).toContain('path: /var/lib/k0s/kubelet/pods');
    // no staging folders left beside the output, nothing written into the environments
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(fs.readdirSync(envs).sort()).toEqual(['alpha.yaml', 'beta.yaml']);
  });

  test('--help prints the usage and exits 0 without writing', () => {
    const { out, args } = setup();
    const r = cli(['--help', ...args]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: velero-node-agent [synth] [--environments DIR] [--output DIR]');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('two synths give byte-identical trees', () => {
    const { envs } = setup();
    const a = path.join(tmp('out-'), 'a');
    const b = path.join(tmp('out-'), 'b');
    expect(cli(['--environments', envs, '--output', a]).code).toBe(0);
    expect(cli(['--environments', envs, '--output', b]).code).toBe(0);
    const first = snapshot(a);
    expect(Object.keys(first).length).toBe(10);
    expect(snapshot(b)).toEqual(first);
    // and again over an existing tree
    expect(cli(['--environments', envs, '--output', a]).code).toBe(0);
    expect(snapshot(a)).toEqual(first);
  });

  test('an environment removed from the input disappears from the output on the next synth', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'beta'))).toBe(true);
    fs.rmSync(path.join(envs, 'beta.yaml'));
    const r = cli(args);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Rendered 1 environment into ${out}/.`);
    expect(Object.keys(snapshot(out)).sort()).toEqual(ALPHA_FILES);
  });

  test('an environment renamed with name: moves to its new folder', () => {
    const { envs, out, args } = setup({ 'alpha.yaml': ALPHA });
    expect(cli(args).code).toBe(0);
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), `name: alpha-2\n${ALPHA}`);
    expect(cli(args).code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['alpha-2']);
  });

  test('with --cdk8s-app (cdk8s synth), the same files are mirrored into CDK8S_OUTDIR, replacing what was in it', () => {
    const { out, args } = setup();
    const mirror = path.join(tmp('cdk8s-'), '.cdk8s.out');
    fs.mkdirSync(path.join(mirror, 'old-env'), { recursive: true });
    fs.writeFileSync(path.join(mirror, 'old-env', 'kustomization.yaml'), '# Rendered from old-env.yaml by `npm run synth`. Do not edit.\nstale\n');
    const r = cli([...args, '--cdk8s-app'], { CDK8S_OUTDIR: mirror });
    expect(r.code).toBe(0);
    expect(snapshot(mirror)).toEqual(snapshot(out));
    expect(Object.keys(snapshot(mirror)).sort()).toEqual([...ALPHA_FILES, ...BETA_FILES].sort());
  });

  test('a CDK8S_OUTDIR holding files this tool did not write is refused like --output', () => {
    const { args } = setup();
    const mirror = tmp('cdk8s-');
    fs.writeFileSync(path.join(mirror, 'notes.txt'), 'mine');
    const r = cli([...args, '--cdk8s-app'], { CDK8S_OUTDIR: mirror });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`refusing to replace ${mirror}: ${path.join(mirror, 'notes.txt')} was not rendered by this tool`);
    expect(fs.readFileSync(path.join(mirror, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('CDK8S_OUTDIR equal to --output is written once, not wiped', () => {
    const { out, args } = setup();
    expect(cli([...args, '--cdk8s-app'], { CDK8S_OUTDIR: out }).code).toBe(0);
    expect(Object.keys(snapshot(out)).sort()).toEqual([...ALPHA_FILES, ...BETA_FILES].sort());
  });

  // BUG (pipeline/write.ts:16): the new tree is a mkdtemp folder renamed into place, so the output
  // folder ends up mode 0700 instead of what mkdir (the umask) gives, e.g. the committed dist/ after every synth.
  test('the output folder gets ordinary permissions, as mkdir would give it', () => {
    const { parent, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const reference = path.join(parent, 'reference');
    fs.mkdirSync(reference);
    const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
    expect(mode(out)).toBe(mode(reference));
    expect(mode(path.join(out, 'alpha'))).toBe(mode(reference));
  });
});

describe('invalid input: exit 1 and the output left exactly as it was', () => {
  test('one bad environment among several: findings as file:line:col, nothing written', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const before = snapshot(out);

    // change a valid environment too: a partial write would show in alpha/
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), ALPHA.replace('globalConfig: 1', 'globalConfig: 4'));
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), GAMMA_BAD);
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      [
        `${path.join(envs, 'gamma.yaml')}:4:1  error  schema  platfrom  unknown key "platfrom" (did you mean "platform"?)`,
        '',
        `1 error, 0 warnings; nothing written, ${out} left as it was.`,
      ].join('\n'),
    );
    expect(r.err).not.toMatch(STACK_TRACE_LINE);
    expect(snapshot(out)).toEqual(before);
  });

  test('every problem in every file is listed, grouped by file, then the count', () => {
    const { out, args } = setup({
      'b.yaml': 'velero:\n  version: 1.12.0\n',
      'a.yaml': 'velero:\n  version: 1.18\n',
      'c.yaml': 'velero: [\n',
    });
    const r = cli(args);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines.map((l) => l.replace(/ {2}.*/, ''))).toEqual([
      expect.stringMatching(/a\.yaml:2:12$/),
      '',
      expect.stringMatching(/b\.yaml:2:12$/),
      '',
      expect.stringMatching(/c\.yaml:2:1$/),
      '',
      `3 errors, 0 warnings; nothing written, ${out} left as it was.`,
    ]);
    expect(lines[2]).toContain('error  supported-version  velero.version  Velero 1.12.0 is not a release this tool knows (known releases: 1.13.0 up to 1.18.1)');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a finding without a key path shows "-"', () => {
    const { envs, args } = setup({ 'empty.yaml': '' });
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe(
      `${path.join(envs, 'empty.yaml')}:1:1  error  schema  -  the file is empty (an environment needs at least velero.version; see README "The environment file")`,
    );
  });

  test('check with an invalid environment: exit 1, nothing checked', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const before = snapshot(out);
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), GAMMA_BAD);
    const r = cli(['check', ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`1 error, 0 warnings; nothing checked, ${out} left as it was.`);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('usage errors: exit 2', () => {
  test('an unknown option', () => {
    const { out, args } = setup();
    const r = cli(['--bogus', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error: Unknown option '--bogus'/);
    expect(r.err).toContain('Usage: velero-node-agent [synth] [--environments DIR] [--output DIR]');
    expect(r.err).not.toMatch(STACK_TRACE_LINE);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an unknown command', () => {
    const { out, args } = setup();
    const r = cli(['deploy', ...args]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('error: unknown command "deploy"');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a missing environments folder', () => {
    const missing = path.join(tmp('none-'), 'environments');
    const out = path.join(tmp('out-'), 'out');
    const r = cli(['--environments', missing, '--output', out]);
    expect(r).toEqual({ code: 2, out: '', err: `error: environments folder ${missing} not found (set it with --environments DIR)` });
    expect(fs.existsSync(out)).toBe(false);
  });

  test('--environments pointing at a file', () => {
    const file = path.join(environmentsDir({ 'x.yaml': ALPHA }), 'x.yaml');
    const r = cli(['--environments', file, '--output', path.join(tmp('out-'), 'out')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: environments folder ${file} not found (set it with --environments DIR)`);
  });
});

describe('refuses an output folder it did not write: exit 1, nothing touched', () => {
  test('a folder holding a file of its own', () => {
    const { parent, out, args } = setup();
    fs.mkdirSync(path.join(out, 'alpha'), { recursive: true });
    fs.writeFileSync(path.join(out, 'alpha', 'kustomization.yaml'), 'resources: []\n');
    fs.writeFileSync(path.join(out, 'README.md'), '# my notes\n');
    const before = snapshot(out);
    const r = cli(args);
    expect(r).toEqual({
      code: 1,
      out: '',
      err:
        `error: refusing to replace ${out}: ${path.join(out, 'README.md')} was not rendered by this tool ` +
        '(the output folder is replaced whole; point --output at a folder of its own)',
    });
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });

  test('a folder holding a subfolder without kustomization.yaml', () => {
    const { out, args } = setup();
    fs.mkdirSync(path.join(out, 'src'), { recursive: true });
    fs.writeFileSync(path.join(out, 'src', 'index.ts'), 'export {};\n');
    const before = snapshot(out);
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: refusing to replace ${out}: ${path.join(out, 'src')} was not rendered by this tool ` +
        '(the output folder is replaced whole; point --output at a folder of its own)',
    );
    expect(snapshot(out)).toEqual(before);
  });

  test('--output pointing at a file', () => {
    const { parent, out, args } = setup();
    fs.writeFileSync(out, 'not a folder\n');
    const r = cli(args);
    expect(r).toEqual({ code: 1, out: '', err: `error: ${out} is a file, not a folder` });
    expect(fs.readFileSync(out, 'utf8')).toBe('not a folder\n');
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });

  test('an empty existing folder is fine', () => {
    const { out, args } = setup();
    fs.mkdirSync(out);
    expect(cli(args).code).toBe(0);
    expect(Object.keys(snapshot(out)).length).toBe(10);
  });
});

describe('check', () => {
  test('exit 0 when the output is up to date, and it writes nothing', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const before = snapshot(out);
    const r = cli(['check', ...args]);
    expect(r).toEqual({ code: 0, out: `${out} is up to date with ${envs} (2 environments).`, err: '' });
    expect(snapshot(out)).toEqual(before);
  });

  test('exit 1 listing the stale file after a committed file is edited', () => {
    const { out, args } = setup();
    expect(cli(args).code).toBe(0);
    const edited = path.join(out, 'alpha', 'daemonset-node-agent.yaml');
    fs.appendFileSync(edited, '# hand edit\n');
    const before = snapshot(out);
    const r = cli(['check', ...args]);
    expect(r).toEqual({
      code: 1,
      out: expect.stringContaining(`--- ${edited}\tcommitted\n+++ ${edited}\tfresh render\n`),
      err: `${edited}: differs from a fresh render\n\n${out} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`,
    });
    expect(snapshot(out)).toEqual(before);
  });

  test('a missing file, an extra file and a changed environment are all listed', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    fs.rmSync(path.join(out, 'beta', 'namespace-velero.yaml'));
    fs.writeFileSync(path.join(out, 'alpha', 'extra.yaml'), 'kind: Secret\n');
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), ALPHA.replace('globalConfig: 1', 'globalConfig: 2'));
    const r = cli(['check', ...args]);
    expect(r.code).toBe(1);
    // The unified diff on stdout shows the change and the hash that rolls node-agent.
    expect(r.out).toContain('-        "globalConfig": 1\n+        "globalConfig": 2\n');
    expect(r.out).toMatch(/^-        checksum\/node-agent-config: [0-9a-f]{64}\n\+        checksum\/node-agent-config: [0-9a-f]{64}$/m);
    expect(r.out).toContain(`--- /dev/null\tcommitted\n+++ ${path.join(out, 'beta', 'namespace-velero.yaml')}\tfresh render`);
    expect(r.err.split('\n')).toEqual([
      `${path.join(out, 'alpha', 'configmap-node-agent-config.yaml')}: differs from a fresh render`,
      `${path.join(out, 'alpha', 'daemonset-node-agent.yaml')}: differs from a fresh render`, // the config hash annotation
      `${path.join(out, 'alpha', 'extra.yaml')}: not rendered by any environment`,
      `${path.join(out, 'beta', 'namespace-velero.yaml')}: missing`,
      '',
      `${out} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`,
    ]);
  });

  test('a removed environment makes the output stale', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    fs.rmSync(path.join(envs, 'beta.yaml'));
    const r = cli(['check', ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(out, 'beta', 'kustomization.yaml')}: not rendered by any environment`);
  });
});

describe('as a real process: the compiled command (node lib/main.js)', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' }, timeout: 120_000 });

  test('a bad environment: exit 1, file:line:col findings on stderr, no stack trace, output unchanged', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const before = snapshot(out);
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), GAMMA_BAD);
    fs.writeFileSync(path.join(envs, 'delta.yaml'), 'velero:\n  version: "1.16.0"\nconfig:\n  restorePVC: {}\n  podResources:\n    ephemeralStorageLimit: 1Gi\n');

    const r = run(args);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(1);
    const delta = path.join(envs, 'delta.yaml');
    expect(r.stderr).toContain(
      `${delta}:6:5  error  velero-version  config.podResources.ephemeralStorageLimit  ` +
        '"ephemeralStorageLimit" was introduced in Velero 1.18.1; this environment runs Velero 1.16.0 ' +
        '(raise the Velero version to 1.18.1 or later, or remove "ephemeralStorageLimit")\n',
    );
    expect(r.stderr).toContain(`${path.join(envs, 'gamma.yaml')}:4:1  error  schema  platfrom  unknown key "platfrom" (did you mean "platform"?)\n`);
    const locations = r.stderr.split('\n').filter((l) => /^\/\S+\.yaml:\d+:\d+ {2}error {2}/.test(l));
    expect(locations).toHaveLength(2);
    expect(r.stderr).toContain(`2 errors, 0 warnings; nothing written, ${out} left as it was.`);
    expect(r.stderr).not.toMatch(STACK_TRACE_LINE);
    expect(r.stderr).not.toMatch(/Error:|TypeError|node:internal/);
    expect(r.stdout).toBe('');
    expect(snapshot(out)).toEqual(before);
  });

  test('success: exit 0 and the same files as in-process', () => {
    const { envs, out, args } = setup();
    const r = run(args);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Rendered 2 environments into ${out}/.`);
    const inProcess = path.join(tmp('out-'), 'out');
    expect(cli(['--environments', envs, '--output', inProcess]).code).toBe(0);
    expect(snapshot(out)).toEqual(snapshot(inProcess));
  });

  test('usage error: exit 2, no stack trace', () => {
    const r = run(['--environments', path.join(tmp('none-'), 'missing'), '--output', path.join(tmp('out-'), 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error: environments folder \S+missing not found/);
    expect(r.stderr).not.toMatch(STACK_TRACE_LINE);
  });
});

describe('through cdk8s synth (cdk8s.yaml)', () => {
  const cdk8s = (envs: string, out: string, cdk8sOut: string) =>
    spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--app', `node lib/main.js synth --cdk8s-app --environments ${envs} --output ${out}`, '--output', cdk8sOut], {
      // cdk8s-cli's own upgrade check needs the network, and prints a trace of its own offline.
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '', CDK8S_CHECK_UPGRADE: 'false' }, timeout: 120_000,
    });

  test('renders the output folder and mirrors it into cdk8s\'s own folder', () => {
    const { envs, out } = setup();
    const cdk8sOut = path.join(tmp('cdk8s-'), '.cdk8s.out');
    const r = cdk8s(envs, out, cdk8sOut);
    expect(r.status).toBe(0);
    expect(snapshot(cdk8sOut)).toEqual(snapshot(out));
    expect(r.stdout).toContain(`${cdk8sOut}/alpha/daemonset-node-agent.yaml`);
  });

  test('a bad environment: exit 1 with the findings and no stack trace; the output folder is untouched', () => {
    const { envs, out, args } = setup();
    expect(cli(args).code).toBe(0);
    const before = snapshot(out);
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), GAMMA_BAD);
    const r = cdk8s(envs, out, path.join(tmp('cdk8s-'), '.cdk8s.out'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path.join(envs, 'gamma.yaml')}:4:1  error  schema  platfrom  unknown key "platfrom"`);
    expect(r.stderr).not.toMatch(STACK_TRACE_LINE);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('--version', () => {
  test('prints the package version and exits 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect(cli(['--version'])).toEqual({ code: 0, out: version, err: '' });
    expect(spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' }).stdout).toBe(`${version}\n`);
  });
});
