import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { parse } from 'yaml';
import { checkSchemas } from '../pipeline/check';
import { synthesize } from '../pipeline/synth';
import { cli, environmentsDir, tmp } from './helpers';

const REPO = 'https://git.example.com/platform/velero-fleet.git';
const FLEET = `gitops:\n  repoURL: ${REPO}\n  targetRevision: main\n`;

/** Synthesizes a fleet: the wiring's files parsed, by path under dist/_gitops/. */
function wiringOf(files: Record<string, string>) {
  const dir = environmentsDir(files);
  const result = synthesize(dir);
  const objects: Record<string, any> = {};
  for (const [file, text] of result.wiring?.files ?? []) objects[file] = parse(text);
  const errors = result.findings.filter((f) => f.severity === 'error');
  return { dir, result, objects, errors, files: result.wiring && [...result.wiring.files.keys()] };
}

const env = (version: string, extra = '') => `extends: [_fleet.yaml]\nvelero:\n  version: ${version}\n${extra}`;

describe('Argo CD Applications', () => {
  const fleet = wiringOf({
    '_fleet.yaml': `${FLEET}  argocd:\n    project: platform\n`,
    'east.yaml': env('1.18.1', 'gitops:\n  argocd:\n    destination: {server: "https://10.0.0.1:6443"}\n'),
    'west.yaml': 'extends: [_fleet.yaml]\nvelero:\n  version: 1.17.2\n  namespace: backup\ngitops:\n  argocd: {automated: false}\n',
  });

  test('one per environment, in dist/_gitops/argocd/, with a kustomization.yaml of its own', () => {
    expect(fleet.errors).toEqual([]);
    expect(fleet.files).toEqual([
      'argocd/application-velero-node-agent-east.yaml',
      'argocd/application-velero-node-agent-west.yaml',
      'argocd/kustomization.yaml',
    ]);
    expect(fleet.objects['argocd/kustomization.yaml']).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['application-velero-node-agent-east.yaml', 'application-velero-node-agent-west.yaml'],
    });
  });

  test('source is the environment folder, destination its cluster and Velero namespace, automated with prune and selfHeal, no finalizer', () => {
    expect(fleet.objects['argocd/application-velero-node-agent-east.yaml']).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'velero-node-agent-east', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' } },
      spec: {
        project: 'platform',
        source: { repoURL: REPO, targetRevision: 'main', path: 'dist/east' },
        destination: { server: 'https://10.0.0.1:6443', namespace: 'velero' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  test('automated: false leaves syncing to a person; the destination defaults to the cluster named like the environment', () => {
    expect(fleet.objects['argocd/application-velero-node-agent-west.yaml'].spec).toEqual({
      project: 'platform',
      source: { repoURL: REPO, targetRevision: 'main', path: 'dist/west' },
      destination: { name: 'west', namespace: 'backup' },
    });
  });

  test('each file is headed by its environment\'s inputs, the folder\'s kustomization.yaml by the environments folder', () => {
    const text = fleet.result.wiring!.files;
    expect(text.get('argocd/application-velero-node-agent-east.yaml')!.split('\n')[0]).toBe('# Rendered from _fleet.yaml, east.yaml by velero-node-agent. Do not edit.');
    expect(text.get('argocd/kustomization.yaml')!.split('\n')[0]).toBe(`# Rendered from ${path.basename(fleet.dir)}/ by velero-node-agent. Do not edit.`);
  });

  test('cascadeDelete: true adds the resources finalizer; project, namespace and path are taken as written', () => {
    const { objects, errors } = wiringOf({
      'a.yaml': `velero: {version: 1.18.1}\ngitops:\n  repoURL: ssh://git@git.example.com/fleet.git\n  targetRevision: refs/tags/v3\n  path: clusters/rendered\n  cascadeDelete: true\n  argocd: {namespace: gitops, project: velero}\n`,
    });
    expect(errors).toEqual([]);
    expect(objects['argocd/application-velero-node-agent-a.yaml']).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'velero-node-agent-a',
        namespace: 'gitops',
        labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'velero',
        source: { repoURL: 'ssh://git@git.example.com/fleet.git', targetRevision: 'refs/tags/v3', path: 'clusters/rendered/a' },
        destination: { name: 'a', namespace: 'velero' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });
});

describe('the Argo CD ApplicationSet', () => {
  const fleet = wiringOf({
    '_fleet.yaml': `${FLEET}  argocd:\n    applicationSet: true\n`,
    'alpha.yaml': env('1.18.1'),
    'beta.yaml': env('1.16.2'),
    'gamma.yaml': env('1.18.1', 'gitops:\n  argocd: {applicationSet: false}\n'),
    'delta.yaml': 'velero: {version: 1.18.1}\n',
  });

  test('a git directory generator over the environment folders, excluding _gitops and the environments not in it', () => {
    expect(fleet.errors).toEqual([]);
    expect(fleet.files).toEqual([
      'argocd/application-velero-node-agent-gamma.yaml',
      'argocd/kustomization.yaml',
      'argocd-applicationset/applicationset-velero-node-agent.yaml',
      'argocd-applicationset/kustomization.yaml',
    ]);
    expect(fleet.objects['argocd-applicationset/applicationset-velero-node-agent.yaml']).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'velero-node-agent', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            git: {
              repoURL: REPO,
              revision: 'main',
              directories: [{ path: 'dist/*' }, { path: 'dist/_gitops', exclude: true }, { path: 'dist/delta', exclude: true }, { path: 'dist/gamma', exclude: true }],
            },
          },
        ],
        template: {
          metadata: { name: 'velero-node-agent-{{.path.basename}}', labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' } },
          spec: {
            project: 'default',
            source: { repoURL: REPO, targetRevision: 'main', path: '{{.path.path}}' },
            destination: { name: '{{.path.basename}}', namespace: 'velero' },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    });
  });

  test('cascadeDelete: true puts the finalizer in the template and preserves nothing', () => {
    const { objects } = wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\n${FLEET}  cascadeDelete: true\n  argocd: {applicationSet: true}\n` });
    const spec = objects['argocd-applicationset/applicationset-velero-node-agent.yaml'].spec;
    expect(spec.template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(spec.syncPolicy).toBeUndefined();
  });

  test('its environments must agree on what it shares: each that differs is an error at its key', () => {
    const { errors, result, dir } = wiringOf({
      '_fleet.yaml': `${FLEET}  argocd:\n    applicationSet: true\n`,
      'alpha.yaml': env('1.18.1'),
      'beta.yaml': env('1.18.1', 'gitops:\n  targetRevision: release\n  argocd: {project: other}\n'),
    });
    const reason = 'the environments of the one ApplicationSet must agree on it';
    const hint = 'set it once in the fragment they extend, or set applicationSet: false for an Application of its own';
    expect(errors).toEqual([
      { file: path.join(dir, 'beta.yaml'), line: 5, column: 19, path: 'gitops.targetRevision', rule: 'gitops', severity: 'error', hint,
        message: `gitops.targetRevision is "release" here but "main" for alpha (${path.join(dir, 'alpha.yaml')}): ${reason}` },
      { file: path.join(dir, 'beta.yaml'), line: 6, column: 21, path: 'gitops.argocd.project', rule: 'gitops', severity: 'error', hint,
        message: `gitops.argocd.project is "other" here but "default" for alpha (${path.join(dir, 'alpha.yaml')}): ${reason}` },
    ]);
    expect(result.rendered).toEqual([]);
  });

  test('a destination other than the cluster named like the environment is an error', () => {
    const { errors } = wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\n${FLEET}  argocd: {applicationSet: true, destination: {name: prod}}\n` });
    expect(errors.map((e) => [e.line, e.path, e.message, e.hint])).toEqual([
      [5, 'gitops.argocd.destination',
        'the ApplicationSet deploys each environment to the Argo CD cluster named like its folder ("a"), not to {"name":"prod"}',
        'name the cluster after the environment in Argo CD, or set applicationSet: false for an Application of its own'],
    ]);
  });
});

describe('Flux', () => {
  const fleet = wiringOf({
    '_fleet.yaml': `${FLEET}  flux:\n    interval: 5m\n    secretName: fleet-deploy-key\n`,
    'east.yaml': env('1.18.1', 'nodeAgent: {windows: true}\n'),
    'west.yaml': env('1.18.1', 'gitops:\n  targetRevision: 0123456789abcdef0123456789abcdef01234567\n  cascadeDelete: true\n  flux: {namespace: flux, timeout: 2m}\n'),
  });

  test('a folder per environment, for its own cluster: GitRepository, Kustomization, kustomization.yaml', () => {
    expect(fleet.errors).toEqual([]);
    expect(fleet.files).toEqual([
      'flux/east/gitrepository-velero-node-agent.yaml',
      'flux/east/kustomization-velero-node-agent.yaml',
      'flux/east/kustomization.yaml',
      'flux/west/gitrepository-velero-node-agent.yaml',
      'flux/west/kustomization-velero-node-agent.yaml',
      'flux/west/kustomization.yaml',
    ]);
    expect(fleet.result.wiring!.files.get('flux/east/kustomization.yaml')!.split('\n')[0]).toBe('# Rendered from _fleet.yaml, east.yaml by velero-node-agent. Do not edit.');
  });

  test('the GitRepository follows the branch, with the Secret', () => {
    expect(fleet.objects['flux/east/gitrepository-velero-node-agent.yaml']).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'velero-node-agent', namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' } },
      spec: { url: REPO, ref: { branch: 'main' }, interval: '5m', secretRef: { name: 'fleet-deploy-key' } },
    });
  });

  test('the Kustomization prunes, checks the health of both DaemonSets, and orphans on deletion', () => {
    expect(fleet.objects['flux/east/kustomization-velero-node-agent.yaml']).toEqual({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'velero-node-agent', namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'velero-node-agent' } },
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'velero-node-agent' },
        path: './dist/east',
        interval: '5m',
        timeout: '5m',
        prune: true,
        deletionPolicy: 'Orphan',
        healthChecks: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent', namespace: 'velero' },
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent-windows', namespace: 'velero' },
        ],
      },
    });
  });

  test('a commit SHA is a commit ref; cascadeDelete deletes; namespace and timeout as written', () => {
    expect(fleet.objects['flux/west/gitrepository-velero-node-agent.yaml'].spec.ref).toEqual({ commit: '0123456789abcdef0123456789abcdef01234567' });
    const spec = fleet.objects['flux/west/kustomization-velero-node-agent.yaml'].spec;
    expect([spec.deletionPolicy, spec.timeout, fleet.objects['flux/west/kustomization-velero-node-agent.yaml'].metadata.namespace]).toEqual(['Delete', '2m', 'flux']);
    expect(spec.healthChecks).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent', namespace: 'velero' }]);
  });

  test('a full ref is a ref name', () => {
    const { objects } = wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\ngitops:\n  repoURL: ${REPO}\n  targetRevision: refs/tags/v3\n  flux: {}\n` });
    expect(objects['flux/a/gitrepository-velero-node-agent.yaml'].spec.ref).toEqual({ name: 'refs/tags/v3' });
  });

  test('HEAD is an error with Flux', () => {
    const { errors } = wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\ngitops:\n  repoURL: ${REPO}\n  targetRevision: HEAD\n  flux: {}\n` });
    expect(errors.map((e) => [e.line, e.column, e.path, e.rule, e.message, e.hint])).toEqual([
      [4, 19, 'gitops.targetRevision', 'gitops', 'Flux cannot follow "HEAD"', 'name the branch, such as "main"'],
    ]);
  });
});

describe('the gitops: block is validated like the rest of the file', () => {
  const errorsOf = (gitops: string) =>
    wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\ngitops:\n${gitops}` }).errors.map((e) => [e.line, e.path, e.message, e.hint]);

  test('an scp-style URL', () => {
    expect(errorsOf('  repoURL: git@git.example.com:fleet.git\n  targetRevision: main\n')).toEqual([
      [3, 'gitops.repoURL', 'expected a Git URL Argo CD and Flux can clone: https://... or ssh://git@host/path; got the string "git@git.example.com:fleet.git"', 'write git@host:path as ssh://git@host/path'],
    ]);
  });

  test('a missing targetRevision, a misspelt key, a path out of the repository, a duration Flux cannot read', () => {
    expect(errorsOf(`  repoURL: ${REPO}\n  pth: ../dist\n  flux: {interval: 10 minutes}\n`)).toEqual([
      [3, 'gitops', 'missing required key "targetRevision"', 'see README "Argo CD and Flux"'],
      [4, 'gitops.pth', 'unknown key "pth"', 'did you mean "path"?'],
      [5, 'gitops.flux.interval', 'expected a duration such as "10m", "1h" or "90s"; got the string "10 minutes"', undefined],
    ]);
    expect(errorsOf(`  repoURL: ${REPO}\n  targetRevision: main\n  path: ../dist\n`)).toEqual([
      [5, 'gitops.path', 'expected a folder of the repository, relative to its root, such as "dist" or "fleet/dist"; got the string "../dist"', undefined],
    ]);
  });

  test('a destination with both name and server', () => {
    expect(errorsOf(`  repoURL: ${REPO}\n  targetRevision: main\n  argocd: {destination: {name: a, server: "https://a"}}\n`)).toEqual([
      [5, 'gitops.argocd.destination', 'expected either name: (the cluster as Argo CD names it) or server: (its API server URL); got a map', undefined],
    ]);
  });

  test('without gitops: nothing is rendered into _gitops', () => {
    const { result } = wiringOf({ 'a.yaml': 'velero: {version: 1.18.1}\n' });
    expect(result.wiring).toBeUndefined();
    expect(result.rendered.map((r) => r.name)).toEqual(['a']);
  });

  test('gitops with neither argocd nor flux renders nothing either', () => {
    expect(wiringOf({ 'a.yaml': `velero: {version: 1.18.1}\n${FLEET}` }).result.wiring).toBeUndefined();
  });
});

describe('the wiring objects against the Argo CD and Flux schemas', () => {
  const fleet = wiringOf({
    '_fleet.yaml': `${FLEET}  argocd: {}\n  flux: {}\n`,
    'a.yaml': env('1.18.1'),
    'b.yaml': env('1.18.1', 'gitops:\n  argocd: {applicationSet: true}\n'),
  });
  const MODELS: Record<string, new (data: any) => { validate(): void }> = { Application, ApplicationSet, Kustomization, GitRepository };

  test.each(['argocd/application-velero-node-agent-a.yaml', 'argocd-applicationset/applicationset-velero-node-agent.yaml',
    'flux/a/gitrepository-velero-node-agent.yaml', 'flux/a/kustomization-velero-node-agent.yaml'])('%s validates', (file) => {
    const object = fleet.objects[file];
    expect(() => new MODELS[object.kind](object).validate()).not.toThrow();
  });

  test('a broken one is a manifest-schema error in the rendered file, blamed on constructs/gitops/', () => {
    const object = { ...fleet.objects['argocd/application-velero-node-agent-a.yaml'] };
    object.spec = { ...object.spec, project: 7 };
    const broken = { name: '_gitops', files: new Map([['argocd/app.yaml', 'x\n']]), manifests: new Map([['argocd/app.yaml', object]]) };
    expect(checkSchemas(broken, 'dist', 'a bug').map((f) => [f.file, f.path, f.rule, f.message])).toEqual([
      ['dist/_gitops/argocd/app.yaml', 'spec.project', 'manifest-schema', 'Kubernetes schema: must be string'],
    ]);
  });
});

describe('dist/_gitops/ on disk', () => {
  const files = {
    '_fleet.yaml': `${FLEET}  argocd: {}\n  flux: {}\n`,
    'east.yaml': 'extends: [_fleet.yaml]\nvelero:\n  version: 1.18.1\n  createNamespace: true\nconfig: {loadConcurrency: {globalConfig: 2}}\n',
    'west.yaml': env('1.17.2', 'gitops:\n  argocd: {applicationSet: true}\n'),
  };

  test('synth writes it beside the environments, check finds it up to date, a second synth replaces it', () => {
    const dir = environmentsDir(files);
    const out = path.join(tmp('out-'), 'dist');
    const first = cli(['synth', '--environments', dir, '--output', out]);
    expect(first.code).toBe(0);
    expect(first.out.split('\n')).toContain(`${out}/_gitops/  10 files (Argo CD and Flux wiring)`);
    expect(first.out.split('\n').pop()).toBe(`Rendered 2 environments into ${out}/.`);
    expect(fs.readdirSync(path.join(out, '_gitops')).sort()).toEqual(['argocd', 'argocd-applicationset', 'flux']);
    expect(cli(['check', '--environments', dir, '--output', out]).code).toBe(0);
    expect(cli(['synth', '--environments', dir, '--output', out]).code).toBe(0);
  });

  test('a hand edit under _gitops is stale to check', () => {
    const dir = environmentsDir(files);
    const out = path.join(tmp('out-'), 'dist');
    cli(['synth', '--environments', dir, '--output', out]);
    fs.appendFileSync(path.join(out, '_gitops', 'flux', 'east', 'kustomization-velero-node-agent.yaml'), '# edited\n');
    const r = cli(['check', '--environments', dir, '--output', out]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe(`${out}/_gitops/flux/east/kustomization-velero-node-agent.yaml: differs from a fresh render`);
  });

  test('a foreign folder inside _gitops is not replaced', () => {
    const dir = environmentsDir(files);
    const out = path.join(tmp('out-'), 'dist');
    cli(['synth', '--environments', dir, '--output', out]);
    fs.mkdirSync(path.join(out, '_gitops', 'mine'));
    fs.writeFileSync(path.join(out, '_gitops', 'mine', 'notes.txt'), 'keep\n');
    const r = cli(['synth', '--environments', dir, '--output', out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: refusing to replace ${out}: ${out}/_gitops was not rendered by this tool (the output folder is replaced whole; point --output at a folder of its own)`);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!kubectl) console.warn('kubectl is not installed: the kubectl kustomize builds of test/gitops.test.ts are skipped');
  (kubectl ? test : test.skip)('kubectl kustomize builds every environment folder and every wiring folder, each on its own', () => {
    const dir = environmentsDir(files);
    const out = path.join(tmp('out-'), 'dist');
    cli(['synth', '--environments', dir, '--output', out]);
    const build = (folder: string) => {
      const r = spawnSync('kubectl', ['kustomize', path.join(out, folder)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n---\n').map((doc) => parse(doc)).map((o) => `${o.kind}/${o.metadata.name}`);
    };
    expect(build('east')).toEqual(['Namespace/velero', 'ConfigMap/node-agent-config', 'DaemonSet/node-agent']);
    expect(build('west')).toEqual(['DaemonSet/node-agent']);
    expect(build('_gitops/argocd')).toEqual(['Application/velero-node-agent-east']);
    expect(build('_gitops/argocd-applicationset')).toEqual(['ApplicationSet/velero-node-agent']);
    expect(build('_gitops/flux/east').sort()).toEqual(['GitRepository/velero-node-agent', 'Kustomization/velero-node-agent']);
    expect(build('_gitops/flux/west').sort()).toEqual(['GitRepository/velero-node-agent', 'Kustomization/velero-node-agent']);
  });
});
