/**
 * The drift check: the committed dist/ is exactly a fresh render of environments/, and every
 * folder in it (the environments', and the wiring's in _gitops/) builds with kustomize, as Argo
 * CD and Flux will build it. The only test that
 * reads environments/: it passes for any set of environments, the examples or a team's own,
 * and for none at all. Everything else is tested on fixtures under test/.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareTree } from '../pipeline/output/compare';
import { outputFolders, synthesize } from '../pipeline/synth';

const ROOT = path.resolve(__dirname, '..');
const ENVIRONMENTS = path.join(ROOT, 'environments');
const DIST = path.join(ROOT, 'dist');

const fresh = fs.existsSync(ENVIRONMENTS) ? synthesize(ENVIRONMENTS) : { findings: [], waivers: [], skipped: [], inputs: [], rendered: [] };
const folders = fs.existsSync(DIST) ? fs.readdirSync(DIST, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
/** Every kustomize folder of dist/: the environments', and those of dist/_gitops/. */
const kustomizeFolders = fs.existsSync(DIST)
  ? fs.readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f) === 'kustomization.yaml').map(path.dirname).sort()
  : [];

describe('committed dist/', () => {
  test('environments/ is valid', () => {
    expect(fresh.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('equals a fresh render of environments/ exactly', () => {
    const differences = compareTree(DIST, outputFolders(fresh));
    if (differences.length > 0) {
      throw new Error(`dist/ differs from a fresh render of environments/:\n  ${differences.join('\n  ')}\nRun \`npm run synth\` and commit dist/ (never edit dist/ by hand).`);
    }
  });

  test('has one folder per environment, and _gitops/ when an environment has Argo CD or Flux wiring', () => {
    expect(folders).toEqual(outputFolders(fresh).map((e) => e.name).sort());
  });
});

describe('kubectl kustomize dist/<folder>', () => {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  const available = !kubectl.error && kubectl.status === 0;
  if (!available) console.warn('kubectl is not installed: the kustomize builds of dist/ are skipped');

  test.each(kustomizeFolders.length ? kustomizeFolders : ['(no environment)'])('%s builds, every object it lists', (name) => {
    if (!available || kustomizeFolders.length === 0) return;
    const r = spawnSync('kubectl', ['kustomize', path.join(DIST, name)], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const kinds = [...r.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]);
    const resources = fs.readFileSync(path.join(DIST, name, 'kustomization.yaml'), 'utf8').match(/^ {2}- /gm) ?? [];
    expect(kinds).toHaveLength(resources.length);
    if (!name.startsWith('_gitops')) expect(kinds).toContain('DaemonSet');
  });
});
