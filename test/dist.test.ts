/**
 * The drift check: the committed dist/ is exactly a fresh render of environments/, and every
 * folder in it builds with kustomize, as Argo CD and Flux will build it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../pipeline/synth';
import { compareTree } from '../pipeline/output/compare';
import { writeTree } from '../pipeline/output/swap';

const ROOT = path.resolve(__dirname, '..');
const ENVIRONMENTS = path.join(ROOT, 'environments');
const DIST = path.join(ROOT, 'dist');

const fresh = synthesize(ENVIRONMENTS);

/** Fails with the list of differences and what to do about them. */
function expectUpToDate(differences: string[]): void {
  if (differences.length > 0) {
    throw new Error(
      `dist/ differs from a fresh render of environments/:\n  ${differences.join('\n  ')}\n` +
        'Run `npm run synth` and commit dist/ (never edit dist/ by hand).',
    );
  }
  expect(differences).toEqual([]);
}

describe('committed dist/', () => {
  test('environments/ is valid', () => {
    expect(fresh.findings).toEqual([]);
  });

  test('renders every environment file (fragments excluded)', () => {
    const expected = fs
      .readdirSync(ENVIRONMENTS)
      .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('_'))
      .map((f) => f.replace(/\.ya?ml$/, ''))
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(fresh.rendered.map((e) => e.name)).toEqual(expected);
  });

  test('equals a fresh render exactly (run `npm run synth` when this fails)', () => {
    expectUpToDate(compareTree(DIST, fresh.rendered));
  });

  test('the drift check catches a hand edit, a stray file and a missing file', () => {
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dist-copy-')), 'dist');
    writeTree(copy, fresh.rendered);
    expect(compareTree(copy, fresh.rendered)).toEqual([]);
    const [first] = fresh.rendered;
    fs.appendFileSync(path.join(copy, first.name, 'daemonset-node-agent.yaml'), ' ');
    fs.rmSync(path.join(copy, first.name, 'kustomization.yaml'));
    fs.writeFileSync(path.join(copy, first.name, 'notes.yaml'), 'x: 1\n');
    expect(compareTree(copy, fresh.rendered)).toEqual([
      `${path.join(copy, first.name, 'daemonset-node-agent.yaml')}: differs from a fresh render`,
      `${path.join(copy, first.name, 'kustomization.yaml')}: missing`,
      `${path.join(copy, first.name, 'notes.yaml')}: not rendered by any environment`,
    ]);
    expect(() => expectUpToDate(compareTree(copy, fresh.rendered))).toThrow('Run `npm run synth`');
  });

  test('a second render is byte-identical to the first', () => {
    const again = synthesize(ENVIRONMENTS);
    expect(again.rendered.map((e) => [e.name, [...e.files]])).toEqual(fresh.rendered.map((e) => [e.name, [...e.files]]));
  });
});

describe('kubectl kustomize dist/<env>', () => {
  const folders = fs
    .readdirSync(DIST, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  test('there is a folder per environment', () => {
    expect(folders).toEqual(fresh.rendered.map((e) => e.name));
  });

  test.each(folders)('%s builds', (name) => {
    const r = spawnSync('kubectl', ['kustomize', path.join(DIST, name)], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('kind: DaemonSet');
    const kinds = [...r.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    const resources = fs.readFileSync(path.join(DIST, name, 'kustomization.yaml'), 'utf8').match(/^ {2}- /gm) ?? [];
    expect(kinds).toHaveLength(resources.length);
  });
});
