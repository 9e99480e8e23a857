/**
 * The output folder as hostile input (a pull request's dist/ is): check never follows, blocks
 * on or leaks what it finds there; synth refuses paths and folders it must not replace; the
 * lock, the empty-render guard and the cdk8s mode. Crash safety of the swap: swap.test.ts.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OutputError } from '../pipeline/output/error';
import { lockOutput } from '../pipeline/output/lock';
import { checkOutputPath } from '../pipeline/output/path';
import { MAX_FILE_BYTES } from '../pipeline/output/read';
import { isRenderedFile } from '../pipeline/render';
import { BIN, cli, environmentsDir, tmp, tree } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const STACK_TRACE_LINE = /^\s{4}at /m;
const ALPHA = 'platform: k0s\nvelero:\n  version: 1.18.1\n';
const BETA = 'velero:\n  version: 1.17.2\n';
const BAD = 'velero:\n  version: 1.18.1\nplatfrom: k0s\n';
const HEADER = '# Rendered from alpha.yaml by `npm run synth`. Do not edit.\n';
const STALE = (out: string) => `${out} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`;

/** An environments folder, and an output folder rendered from it in a parent of its own. */
function rendered(files: Record<string, string> = { 'alpha.yaml': ALPHA, 'beta.yaml': BETA }) {
  const envs = environmentsDir(files);
  const parent = tmp('out-');
  const out = path.join(parent, 'out');
  const args = ['--environments', envs, '--output', out];
  expect(cli(args)).toMatchObject({ code: 0, err: '' });
  return { envs, parent, out, args };
}

describe('check reads a hostile output folder without following, blocking or leaking', () => {
  /** Plants `plant` in a rendered output, runs check: exit 1, exactly the expected lines, nothing changed or leaked. */
  function expectReported(plant: (out: string) => void, lines: (out: string) => string[], secret?: string) {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    plant(out);
    const before = tree(out);
    const started = Date.now();
    const r = cli(['check', ...args]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.err).toBe([...lines(out), '', STALE(out)].join('\n'));
    expect(r.err + r.out).not.toMatch(STACK_TRACE_LINE);
    if (secret) expect(r.err + r.out).not.toContain(secret);
    expect(tree(out)).toEqual(before);
    return r;
  }

  test('a symbolic link to a file outside: named, never read', () => {
    const secret = path.join(tmp('secret-'), 'token');
    fs.writeFileSync(secret, 'TOP-SECRET-TOKEN\n');
    expectReported(
      (out) => fs.symlinkSync(secret, path.join(out, 'alpha', 'leak.yaml')),
      (out) => [`${out}/alpha/leak.yaml: a symbolic link (not followed)`],
      'TOP-SECRET-TOKEN',
    );
  });

  test('a symbolic link to /proc/self/environ: the environment is not printed', () => {
    const r = expectReported(
      (out) => fs.symlinkSync('/proc/self/environ', path.join(out, 'alpha', 'leak.yaml')),
      (out) => [`${out}/alpha/leak.yaml: a symbolic link (not followed)`],
    );
    expect(r.out).not.toContain('PATH=');
    expect(r.out).toContain('committed; a symbolic link (not followed)');
  });

  test('a symbolic link to a folder: named, not walked, no stack trace', () => {
    const outside = tmp('outside-');
    fs.writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE-KEY');
    expectReported(
      (out) => fs.symlinkSync(outside, path.join(out, 'alpha', 'configs')),
      (out) => [`${out}/alpha/configs: a symbolic link (not followed)`],
      'PRIVATE-KEY',
    );
  });

  test('a FIFO: named, never opened for a blocking read', () => {
    expectReported(
      (out) => execFileSync('mkfifo', [path.join(out, 'alpha', 'pipe.yaml')]),
      (out) => [`${out}/alpha/pipe.yaml: a FIFO (not read)`],
    );
  });

  test('a symbolic link to /dev/zero in place of a rendered file: named, the fresh file shown as what synth writes', () => {
    const r = expectReported(
      (out) => {
        fs.rmSync(path.join(out, 'alpha', 'daemonset-node-agent.yaml'));
        fs.symlinkSync('/dev/zero', path.join(out, 'alpha', 'daemonset-node-agent.yaml'));
      },
      (out) => [`${out}/alpha/daemonset-node-agent.yaml: a symbolic link (not followed)`],
    );
    expect(r.out).toContain('committed; a symbolic link (not followed)\n+++ ');
    expect(r.out).toContain('+kind: DaemonSet\n');
  });

  test('a file over 16 MiB: named, never read whole', () => {
    expectReported(
      (out) => fs.writeFileSync(path.join(out, 'alpha', 'big.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a')),
      (out) => [`${out}/alpha/big.yaml: larger than 16 MiB (not read)`],
    );
  });

  test('a file that is not UTF-8: named, not shown', () => {
    expectReported(
      (out) => fs.writeFileSync(path.join(out, 'alpha', 'daemonset-node-agent.yaml'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a])),
      (out) => [`${out}/alpha/daemonset-node-agent.yaml: not valid UTF-8 (not shown)`],
    );
  });

  test('a folder where a rendered file belongs', () => {
    expectReported(
      (out) => {
        fs.rmSync(path.join(out, 'alpha', 'kustomization.yaml'));
        fs.mkdirSync(path.join(out, 'alpha', 'kustomization.yaml'));
      },
      (out) => [`${out}/alpha/kustomization.yaml: a folder, not a file`],
    );
  });

  test('a file no environment renders: named in the diff, its content never printed', () => {
    const r = expectReported(
      (out) => fs.writeFileSync(path.join(out, 'alpha', 'extra.yaml'), 'password: hunter2-SECRET\n'),
      (out) => [`${out}/alpha/extra.yaml: not rendered by any environment`],
      'hunter2-SECRET',
    );
    expect(r.out).toContain('alpha/extra.yaml\tcommitted; not rendered by any environment, not shown\n+++ /dev/null\tfresh render');
  });

  test('control characters in a changed file and in a file name are escaped, so nothing can be forged', () => {
    const evilName = 'x\x1b[2K\rok.yaml';
    const r = expectReported(
      (out) => {
        fs.appendFileSync(path.join(out, 'alpha', 'daemonset-node-agent.yaml'), '\x1b[2J\r\u202eforged: true\n');
        fs.writeFileSync(path.join(out, 'alpha', evilName), 'a: 1\n');
      },
      (out) => [
        `${out}/alpha/daemonset-node-agent.yaml: differs from a fresh render`,
        `${out}/alpha/x\\x1b[2K\\x0dok.yaml: not rendered by any environment`,
      ],
    );
    expect(r.out).toContain('-\\x1b[2J\\x0d\\u202eforged: true\n');
    expect(r.out + r.err).not.toMatch(/[\x1b\r\u202e]/);
  });

  test('files in nested folders are compared too', () => {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    fs.mkdirSync(path.join(out, 'alpha', 'argocd'));
    fs.writeFileSync(path.join(out, 'alpha', 'argocd', 'app.yaml'), 'kind: Application\n');
    expect(cli(['check', ...args]).err.split('\n')[0]).toBe(`${out}/alpha/argocd/app.yaml: not rendered by any environment`);
  });
});

describe('refuses an output folder it did not render', () => {
  const refusal = (out: string, foreign: string) =>
    `error: refusing to replace ${out}: ${path.join(out, foreign)} was not rendered by this tool ` +
    '(the output folder is replaced whole; point --output at a folder of its own)';

  test('a kustomize tree of someone else: every folder has a kustomization.yaml, none has the header', () => {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    fs.rmSync(out, { recursive: true });
    for (const app of ['billing', 'frontend']) {
      fs.mkdirSync(path.join(out, app), { recursive: true });
      fs.writeFileSync(path.join(out, app, 'kustomization.yaml'), 'resources: [deployment.yaml]\n');
      fs.writeFileSync(path.join(out, app, 'deployment.yaml'), 'kind: Deployment\n');
    }
    const before = tree(out);
    expect(cli(args)).toEqual({ code: 1, out: '', err: refusal(out, 'billing') });
    expect(tree(out)).toEqual(before);
  });

  test('an environment folder that is a symbolic link, even to a rendered folder', () => {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    const elsewhere = path.join(tmp('elsewhere-'), 'alpha');
    fs.renameSync(path.join(out, 'alpha'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, 'alpha'));
    const before = tree(elsewhere);
    expect(cli(args)).toEqual({ code: 1, out: '', err: refusal(out, 'alpha') });
    expect(tree(elsewhere)).toEqual(before);
  });

  test('a kustomization.yaml that is a symbolic link to a rendered one', () => {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    const real = path.join(tmp('real-'), 'kustomization.yaml');
    fs.renameSync(path.join(out, 'alpha', 'kustomization.yaml'), real);
    fs.symlinkSync(real, path.join(out, 'alpha', 'kustomization.yaml'));
    expect(cli(args)).toEqual({ code: 1, out: '', err: refusal(out, 'alpha') });
  });

  test('a folder rendered with the coming header form is this tool\'s own and is replaced', () => {
    const { out, args } = rendered({ 'alpha.yaml': ALPHA });
    fs.mkdirSync(path.join(out, 'old'));
    fs.writeFileSync(path.join(out, 'old', 'kustomization.yaml'), '# Rendered from old.yaml by velero-node-agent. Do not edit.\nresources: []\n');
    expect(cli(args).code).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['alpha']);
  });

  test.each([
    ['accepts the current header', HEADER, true],
    ['accepts the coming header, with fragments and CRLF', '# Rendered from _fleet.yaml, edge.yaml by velero-node-agent. Do not edit.\r\nkind: X\n', true],
    ['rejects no header', 'resources: []\n', false],
    ['rejects the header on the second line', `\n${HEADER}`, false],
    ['rejects the header without its line end', HEADER.trimEnd(), false],
    ['rejects another tool\'s header', '# Rendered by helm. Do not edit.\n', false],
  ])('isRenderedFile %s', (_, text, expected) => {
    expect(isRenderedFile(text)).toBe(expected);
  });
});

describe('output paths it must not use: nothing created or read', () => {
  test("--output '': exit 2 with the usage", () => {
    const envs = environmentsDir({ 'alpha.yaml': ALPHA });
    const r = cli(['--environments', envs, '--output', '']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('error: --output is empty: name a folder, such as dist');
    expect(() => checkOutputPath('')).toThrow(new OutputError('the output folder is an empty string: name a folder, such as dist'));
  });

  test.each(['synth', 'check'])('%s: an output that is a symbolic link is never followed', (command) => {
    const { out: target } = rendered({ 'alpha.yaml': ALPHA });
    const link = path.join(tmp('link-'), 'out');
    fs.symlinkSync(target, link);
    const before = tree(target);
    const r = cli([command, '--environments', environmentsDir({ 'beta.yaml': BETA }), '--output', link]);
    expect(r).toEqual({ code: 1, out: '', err: `error: ${link} is a symbolic link (not followed): point --output at a real folder` });
    expect(tree(target)).toEqual(before);
    expect(fs.readdirSync(path.dirname(link))).toEqual(['out']);
  });

  test.each(['/proc/self/cwd/out', '/sys/kernel/out', '/dev/shm/out'])('an output under a kernel file system: %s', (out) => {
    const r = cli(['--environments', environmentsDir({ 'alpha.yaml': ALPHA }), '--output', out]);
    expect(r).toEqual({ code: 1, out: '', err: `error: ${out} is under /${out.split('/')[1]}: point --output at an ordinary folder` });
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an output whose parent is a file, or missing', () => {
    const file = path.join(tmp('parent-'), 'file');
    fs.writeFileSync(file, 'x');
    const envs = environmentsDir({ 'alpha.yaml': ALPHA });
    expect(cli(['--environments', envs, '--output', path.join(file, 'out')]).err).toBe(`error: ${file}/out: ${file} is not a folder`);
    const missing = path.join(tmp('parent-'), 'missing');
    expect(cli(['--environments', envs, '--output', path.join(missing, 'out')])).toEqual({
      code: 1, out: '', err: `error: ${missing}/out: the folder ${missing} does not exist (create it first)`,
    });
    expect(fs.existsSync(missing)).toBe(false);
  });

  test('a relative output reached through a symbolic link in the checkout (gen -> elsewhere)', () => {
    const checkout = tmp('checkout-');
    const elsewhere = tmp('elsewhere-');
    fs.symlinkSync(elsewhere, path.join(checkout, 'gen'));
    const cwd = process.cwd();
    process.chdir(checkout);
    try {
      const r = cli(['--environments', environmentsDir({ 'alpha.yaml': ALPHA }), '--output', 'gen/dist']);
      expect(r).toEqual({
        code: 1, out: '',
        err: `error: gen/dist: ${path.join(fs.realpathSync(checkout), 'gen')} is a symbolic link (not followed); the output must be reached through real folders`,
      });
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  // A mount point needs a mount: made in a private mount namespace (unshare -rm), where the
  // system allows user namespaces; the mount is gone when the command ends.
  const canMount = spawnSync('unshare', ['-rm', 'true']).status === 0;
  (canMount ? test : test.skip)('an output that is a mount point: a rename cannot replace it', () => {
    const envs = environmentsDir({ 'alpha.yaml': ALPHA });
    const out = path.join(tmp('mount-'), 'out');
    fs.mkdirSync(out);
    const script = 'mount -t tmpfs tmpfs "$1" && shift && exec "$@"';
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', out, process.execPath, BIN, '--environments', envs, '--output', out], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      `error: ${out} is a mount point: it cannot be replaced by a rename; point --output at a folder inside it`,
    ]);
    expect(r.status).toBe(1);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });
});

describe('an empty render does not silently empty the output', () => {
  test('synth with no environments over a folder of environments: refused, listing what would go', () => {
    const { out, args } = rendered();
    const before = tree(out);
    const empty = ['--environments', environmentsDir({}), '--output', out];
    expect(cli(empty)).toEqual({
      code: 1,
      out: '',
      err: `error: refusing to empty ${out}: no environment was rendered, and it would remove ${out}/alpha, ${out}/beta (pass --allow-empty to do that)`,
    });
    expect(tree(out)).toEqual(before);
    expect(cli(['check', ...args]).code).toBe(0);
  });

  test('with --allow-empty it empties the folder', () => {
    const { out } = rendered();
    const r = cli(['--environments', environmentsDir({}), '--output', out, '--allow-empty']);
    expect(r).toEqual({ code: 0, out: `Rendered 0 environments into ${out}/.`, err: '' });
    expect(tree(out)).toEqual({});
  });

  test('--allow-empty belongs to synth only', () => {
    expect(cli(['check', '--allow-empty']).err.split('\n')[0]).toBe('error: --allow-empty is for synth only');
  });

  test('check with no environments passes on a missing or an empty output', () => {
    const envs = environmentsDir({});
    const out = path.join(tmp('out-'), 'out');
    expect(cli(['check', '--environments', envs, '--output', out])).toEqual({ code: 0, out: `${out} is up to date with ${envs} (0 environments).`, err: '' });
    fs.mkdirSync(out);
    expect(cli(['check', '--environments', envs, '--output', out]).code).toBe(0);
  });
});

describe('the lock: one run at a time on an output', () => {
  const lockFile = (out: string) => path.join(path.dirname(out), '.out.lock');

  test.each(['synth', 'check'])('%s while another run holds the lock: exit 1 naming the holder, output untouched', (command) => {
    const { envs, out } = rendered();
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), ALPHA.replace('k0s', 'microk8s'));
    const before = tree(out);
    const release = lockOutput(out);
    try {
      const since = fs.statSync(lockFile(out)).mtime.toISOString();
      expect(cli([command, '--environments', envs, '--output', out])).toEqual({
        code: 1,
        out: '',
        err: `error: ${out} is in use by another run: locked by pid ${process.pid} since ${since} (${lockFile(out)}). Run again when it has finished.`,
      });
      expect(tree(out)).toEqual(before);
    } finally {
      release();
    }
    expect(fs.existsSync(lockFile(out))).toBe(false);
    expect(cli([command, '--environments', envs, '--output', out]).code).toBe(command === 'synth' ? 0 : 1);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('a lock left by a process that died on this host is taken over', () => {
    const { args, out } = rendered();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(lockFile(out), JSON.stringify({ pid: dead, host: os.hostname(), token: 'crashed' }));
    expect(cli(args)).toMatchObject({ code: 0, err: '' });
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('a lock of another host, or unreadable, holds until it is stale (10 minutes), then is taken over', () => {
    const { args, out } = rendered();
    fs.writeFileSync(lockFile(out), JSON.stringify({ pid: 1234, host: 'build-7', token: 't' }));
    const since = fs.statSync(lockFile(out)).mtime.toISOString();
    expect(cli(args).err).toBe(
      `error: ${out} is in use by another run: locked by pid 1234 on build-7 since ${since} (${lockFile(out)}). ` +
        `Run again when it has finished; if no run is going on, remove ${lockFile(out)}.`,
    );
    fs.writeFileSync(lockFile(out), 'garbage');
    expect(cli(args).err).toMatch(/locked by an unknown holder since/);
    const old = new Date(Date.now() - 11 * 60 * 1000);
    fs.utimesSync(lockFile(out), old, old);
    expect(cli(args).code).toBe(0);
    expect(fs.existsSync(lockFile(out))).toBe(false);
  });

  test('two real synths at once: each succeeds or is told about the other, never ENOTEMPTY; the output is whole', async () => {
    const { envs, out, args } = rendered();
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), ALPHA.replace('k0s', 'microk8s'));
    const run = () =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CDK8S_OUTDIR: '' } });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, err: err.replace(/^npm warn .*\n/gm, '') }));
      });
    const results = await Promise.all([run(), run()]);
    for (const { code, err } of results) {
      if (code !== 0) expect(err).toMatch(new RegExp(`^error: ${out} is in use by another run: locked by pid \\d+ since `));
      expect(err).not.toMatch(/ENOTEMPTY|ENOENT/);
    }
    expect(results.some((r) => r.code === 0)).toBe(true);
    expect(cli(['check', ...args]).code).toBe(0);
  }, 60_000);
});

describe('CDK8S_OUTDIR: exit codes never depend on it; --cdk8s-app makes the cdk8s mode explicit', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

  test('a real run with CDK8S_OUTDIR naming a missing folder: invalid input and a stale output still exit 1, nothing created', () => {
    const { envs, out, args } = rendered();
    const missing = path.join(tmp('cdk8s-'), '.cdk8s.out');
    fs.appendFileSync(path.join(out, 'alpha', 'daemonset-node-agent.yaml'), '# edit\n');
    expect(run(['check', ...args], { CDK8S_OUTDIR: missing }).status).toBe(1);
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), BAD);
    const bad = run(args, { CDK8S_OUTDIR: missing });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`1 error, 0 warnings; nothing written, ${out} left as it was.`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  test('without --cdk8s-app, CDK8S_OUTDIR is not written', () => {
    const { args } = rendered();
    const mirror = path.join(tmp('cdk8s-'), '.cdk8s.out');
    expect(cli(args, { CDK8S_OUTDIR: mirror }).code).toBe(0);
    expect(fs.existsSync(mirror)).toBe(false);
  });

  test('--cdk8s-app, invalid input: exit 0 without creating CDK8S_OUTDIR (cdk8s then fails cleanly), output as it was', () => {
    const { envs, out, args } = rendered();
    const before = tree(out);
    fs.writeFileSync(path.join(envs, 'gamma.yaml'), BAD);
    const mirror = path.join(tmp('cdk8s-'), '.cdk8s.out');
    const r = cli([...args, '--cdk8s-app'], { CDK8S_OUTDIR: mirror });
    expect(r.code).toBe(0);
    expect(r.err.split('\n').at(-1)).toBe(`1 error, 0 warnings; nothing written, ${out} left as it was.`);
    expect(fs.existsSync(mirror)).toBe(false);
    expect(tree(out)).toEqual(before);
  });

  test('--cdk8s-app where cdk8s already deleted the output (its --output is the same folder): says so, never "left as it was"', () => {
    const envs = environmentsDir({ 'alpha.yaml': ALPHA, 'gamma.yaml': BAD });
    const out = path.join(tmp('out-'), 'dist');
    const r = cli(['--environments', envs, '--output', out, '--cdk8s-app'], { CDK8S_OUTDIR: out });
    expect(r.code).toBe(0);
    expect(r.err.split('\n').at(-1)).toBe(
      `1 error, 0 warnings; cdk8s synth deleted ${out} before running the app (its --output is that folder); nothing was rendered; ` +
        `restore the committed tree with \`git checkout -- ${out}\`.`,
    );
    expect(r.err).not.toContain('left as it was');
  });

  test('--cdk8s-app without CDK8S_OUTDIR: usage error', () => {
    const { args } = rendered();
    expect(cli([...args, '--cdk8s-app']).err.split('\n')[0]).toBe(
      "error: --cdk8s-app is for cdk8s.yaml's app, run by cdk8s synth, which sets CDK8S_OUTDIR; it is not set",
    );
    expect(cli([...args, '--cdk8s-app']).code).toBe(2);
  });

  test('--cdk8s-app with a mirror that is refused: the output is not replaced either', () => {
    const { envs, out, args } = rendered();
    fs.writeFileSync(path.join(envs, 'alpha.yaml'), ALPHA.replace('k0s', 'microk8s'));
    const before = tree(out);
    const mirror = tmp('cdk8s-');
    fs.writeFileSync(path.join(mirror, 'notes.txt'), 'mine');
    const r = cli([...args, '--cdk8s-app'], { CDK8S_OUTDIR: mirror });
    expect(r.code).toBe(1);
    expect(tree(out)).toEqual(before);
  });
});
