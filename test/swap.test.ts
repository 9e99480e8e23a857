/**
 * Crash safety of the output swap, on both paths: a run killed after any step (simulated by a
 * throw from the afterStep hook, which skips every clean-up as a kill would) leaves the output
 * whole, or on the fallback path recoverable, and the next command's recovery finishes the job.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compareTree } from '../pipeline/output/compare';
import { exchangeLoaded } from '../pipeline/output/exchange';
import { recoverOutput, replaceTrees, SwapOptions, SwapStep, writeTree } from '../pipeline/output/swap';
import { RenderedEnvironment } from '../pipeline/render';
import { synthesize } from '../pipeline/synth';
import { cli, environmentsDir, tmp, tree } from './helpers';

const ALPHA = 'platform: k0s\nvelero:\n  version: 1.18.1\n';
const OLD_ENVS = environmentsDir({ 'alpha.yaml': ALPHA, 'beta.yaml': 'velero:\n  version: 1.17.2\n' });
const OLD = synthesize(OLD_ENVS).rendered;
const NEW = synthesize(environmentsDir({ 'alpha.yaml': ALPHA.replace('k0s', 'microk8s'), 'gamma.yaml': 'velero:\n  version: 1.16.0\n' })).rendered;

/** The tree `rendered` gives, as `tree()` shows it. */
function expected(rendered: readonly RenderedEnvironment[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, files } of rendered) {
    out[`${name}/`] = '';
    for (const [file, content] of files) out[path.join(name, file)] = Buffer.from(content).toString('latin1');
  }
  return out;
}

/** An output holding the OLD tree, alone in its parent. */
function withOld() {
  const parent = tmp('swap-');
  const out = path.join(parent, 'out');
  writeTree(out, OLD);
  return { parent, out };
}

const killAt = (step: SwapStep, options: SwapOptions = {}): SwapOptions => ({
  ...options,
  afterStep: (s) => {
    if (s === step) throw new Error(`killed after ${step}`);
  },
});

const EXCHANGE: SwapOptions = {};
const JOURNAL: SwapOptions = { exchange: false };
const STAGING = '\\.out\\.tmp-[A-Za-z0-9]{6}';

test('the exchange addon is built and loaded (npm ci builds it; without it every swap takes the fallback)', () => {
  if (process.platform === 'linux') expect(exchangeLoaded).toBe(true);
});

/** Rows of the exchange path run only where it exists; on Linux the test above fails without it. */
const onExchange = <T>(rows: T[]): T[] => (exchangeLoaded ? rows : []);

test.each([
  ...onExchange([['the exchange path', EXCHANGE, ['staged', 'exchanged', 'done']] as const]),
  ['the journaled path', JOURNAL, ['staged', 'journaled', 'moved-old', 'moved-new', 'committed', 'done']] as const,
])('%s passes its steps in order and leaves exactly the new tree, nothing beside it', (_, options, steps) => {
  const { parent, out } = withOld();
  const seen: SwapStep[] = [];
  writeTree(out, NEW, { ...options, afterStep: (s) => seen.push(s) });
  expect(seen).toEqual(steps);
  expect(tree(out)).toEqual(expected(NEW));
  expect(fs.readdirSync(parent)).toEqual(['out']);
});

describe('killed after each step: the output right then, and after recovery', () => {
  test.each<[string, SwapStep, SwapOptions, 'old' | 'new' | 'missing', 'old' | 'new', string]>([
    ...onExchange<[string, SwapStep, SwapOptions, 'old' | 'new' | 'missing', 'old' | 'new', string]>([
      ['exchange', 'staged', EXCHANGE, 'old', 'old', `removed ${STAGING}`],
      ['exchange', 'exchanged', EXCHANGE, 'new', 'new', `removed ${STAGING}`],
    ]),
    ['journal', 'staged', JOURNAL, 'old', 'old', `removed ${STAGING}`],
    ['journal', 'journaled', JOURNAL, 'old', 'old', `an interrupted swap was rolled back \\(it had not replaced the tree\\); removed ${STAGING}`],
    ['journal', 'moved-old', JOURNAL, 'missing', 'old', `an interrupted swap was rolled back \\(the previous tree is back\\); removed ${STAGING}`],
    ['journal', 'moved-new', JOURNAL, 'new', 'new', `an interrupted swap was completed \\(the new tree was in place\\); removed ${STAGING}-old`],
    ['journal', 'committed', JOURNAL, 'new', 'new', `removed ${STAGING}-old`],
  ])('%s path, after %s', (_, step, options, during, after, note) => {
    const { parent, out } = withOld();
    const trees = { old: expected(OLD), new: expected(NEW), missing: 'missing' };
    expect(() => writeTree(out, NEW, killAt(step, options))).toThrow(`killed after ${step}`);
    expect(tree(out)).toEqual(trees[during]);
    expect(recoverOutput(out)).toMatch(new RegExp(`^${out}: ${note}$`));
    expect(tree(out)).toEqual(trees[after]);
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(recoverOutput(out)).toBeUndefined();
  });

  test.each<[SwapStep, 'missing' | 'new']>([
    ['staged', 'missing'],
    ['renamed', 'new'],
  ])('a first render (no output yet), after %s: the output is missing or whole', (step, state) => {
    const parent = tmp('swap-');
    const out = path.join(parent, 'out');
    expect(() => writeTree(out, NEW, killAt(step))).toThrow();
    recoverOutput(out);
    expect(tree(out)).toEqual(state === 'new' ? expected(NEW) : 'missing');
    expect(fs.readdirSync(parent)).toEqual(state === 'new' ? ['out'] : []);
  });

  test('the next command recovers: check, killed in the fallback with the output missing, puts the old tree back and compares it', () => {
    const { parent, out } = withOld();
    expect(() => writeTree(out, NEW, killAt('moved-old', JOURNAL))).toThrow();
    expect(fs.existsSync(out)).toBe(false);
    const r = cli(['check', '--environments', OLD_ENVS, '--output', out]);
    expect(r.err).toMatch(new RegExp(`^note: ${out}: an interrupted swap was rolled back \\(the previous tree is back\\); removed ${STAGING}$`));
    expect(r.code).toBe(0);
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });
});

describe('leftovers and journals beside the output', () => {
  test('synth removes staging and old folders that crashed runs left behind', () => {
    const { parent, out } = withOld();
    for (const name of ['.out.tmp-abc123', '.out.tmp-abc123-old', '.out.tmp-Zz9Zz9']) {
      fs.mkdirSync(path.join(parent, name, 'alpha'), { recursive: true });
      fs.writeFileSync(path.join(parent, name, 'alpha', 'kustomization.yaml'), 'x');
    }
    fs.writeFileSync(path.join(parent, '.out.tmp-Zz9Zz9.journal'), '{');
    const r = cli(['--environments', OLD_ENVS, '--output', out]);
    expect(r.err).toBe(`note: ${out}: removed .out.tmp-Zz9Zz9, .out.tmp-Zz9Zz9.journal, .out.tmp-abc123, .out.tmp-abc123-old`);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });

  test.each([
    ['not JSON', '{'],
    ['naming a folder elsewhere', JSON.stringify({ staging: '../../etc', old: '../../etc-old' })],
    ['naming another output\'s staging folder', JSON.stringify({ staging: '.dist.tmp-abc123', old: '.dist.tmp-abc123-old' })],
  ])('a journal this tool did not write (%s) is refused, nothing moved', (_, text) => {
    const { parent, out } = withOld();
    fs.writeFileSync(path.join(parent, '.out.journal'), text);
    const before = tree(parent);
    expect(cli(['--environments', OLD_ENVS, '--output', out])).toEqual({
      code: 1, out: '',
      err: `error: ${parent}/.out.journal is not a journal this tool wrote: if no synth is running, remove it and run again`,
    });
    expect(tree(parent)).toEqual(before);
  });

  test('a journal whose old tree is a symbolic link: the link is never moved into place', () => {
    const parent = tmp('swap-');
    const out = path.join(parent, 'out');
    const elsewhere = tmp('elsewhere-');
    fs.writeFileSync(path.join(elsewhere, 'keep'), 'x');
    fs.symlinkSync(elsewhere, path.join(parent, '.out.tmp-abc123-old'));
    fs.writeFileSync(path.join(parent, '.out.journal'), JSON.stringify({ staging: '.out.tmp-abc123', old: '.out.tmp-abc123-old' }));
    expect(recoverOutput(out)).toBe(`${out}: an interrupted swap left it missing, and its previous tree is not there to put back; removed .out.tmp-abc123-old`);
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(tree(elsewhere)).toEqual({ keep: 'x' });
  });
});

describe('several folders (the output and cdk8s\'s mirror): all or nothing', () => {
  test.each([
    ['exchange', EXCHANGE],
    ['journal', JOURNAL],
  ])('%s path: when the mirror cannot be swapped in, the output is put back', (_, options) => {
    const { parent, out } = withOld();
    const mirrorParent = tmp('mirror-');
    const mirror = path.join(mirrorParent, '.cdk8s.out');
    // The mirror's staging folder vanishes before its swap: its rename fails as a real error.
    const afterStep = (step: SwapStep, dir: string) => {
      if (step === 'staged' && dir === mirror) for (const n of fs.readdirSync(mirrorParent)) fs.rmSync(path.join(mirrorParent, n), { recursive: true });
    };
    expect(() => replaceTrees([{ outDir: out, rendered: NEW }, { outDir: mirror, rendered: NEW }], { ...options, afterStep })).toThrow(/ENOENT/);
    expect(tree(out)).toEqual(expected(OLD));
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(fs.readdirSync(mirrorParent)).toEqual([]);
  });
});

describe('the staged tree', () => {
  const env = (files: [string, string][]): RenderedEnvironment[] => [{ name: 'alpha', files: new Map(files), manifests: new Map() }];

  test('files in sub-folders (argocd/app.yaml) are written and compared', () => {
    const out = path.join(tmp('swap-'), 'out');
    const rendered = env([['argocd/app.yaml', 'kind: Application\n'], ['kustomization.yaml', '# Rendered from a by b. Do not edit.\n']]);
    writeTree(out, rendered);
    expect(tree(out)).toEqual({
      'alpha/': '', 'alpha/argocd/': '', 'alpha/argocd/app.yaml': 'kind: Application\n', 'alpha/kustomization.yaml': '# Rendered from a by b. Do not edit.\n',
    });
    expect(compareTree(out, rendered)).toEqual([]);
  });

  test('a file name that leaves its folder is refused before anything is replaced', () => {
    const { parent, out } = withOld();
    expect(() => writeTree(out, env([['../beta/escape.yaml', 'x']]))).toThrow('rendered file beta/escape.yaml is outside its folder');
    expect(tree(out)).toEqual(expected(OLD));
    expect(fs.readdirSync(parent)).toEqual(['out']);
  });
});
