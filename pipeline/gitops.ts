import { App, Chart } from 'cdk8s';
import { ArgoCdApplication } from '../constructs/gitops/argocd-application';
import { ArgoCdApplicationSet } from '../constructs/gitops/argocd-application-set';
import { FluxSync } from '../constructs/gitops/flux-sync';
import { GitOpsSettings, resolveGitOps, ResolvedGitOps } from '../policies/gitops';
import { formatPath } from '../policies/problem';
import { checkSchemas } from './check';
import { Finding } from './findings';
import { LoadedEnvironment } from './load';
import { fleetHeader, header, HeadedManifest, Manifest, renderFolder, RenderedEnvironment } from './render';
import { locate } from './source';

/** The folder of dist/ the wiring is rendered into: no environment can be named so (names are DNS labels). */
export const GITOPS_FOLDER = '_gitops';

/** An environment that renders, as its delivery sees it. */
export interface DeliveredEnvironment {
  readonly name: string;
  readonly loaded: LoadedEnvironment;
  /** The Velero namespace it renders into. */
  readonly namespace: string;
  /** The names of its node-agent DaemonSets. */
  readonly daemonSets: readonly string[];
}

interface Wired extends DeliveredEnvironment {
  readonly gitops: ResolvedGitOps;
}

const wired = (environments: readonly DeliveredEnvironment[]): Wired[] =>
  environments
    .filter((e) => e.loaded.data.gitops !== undefined)
    .map((e) => ({ ...e, gitops: resolveGitOps(e.loaded.data.gitops as GitOpsSettings, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

/** What the schema cannot see: the settings one ApplicationSet needs its environments to share, and Flux's revision. */
export function checkGitOps(environments: readonly DeliveredEnvironment[]): Finding[] {
  const findings: Finding[] = [];
  const error = (e: Wired, keyPath: (string | number)[], message: string, hint: string) =>
    findings.push(locate({ path: keyPath, rule: 'gitops', severity: 'error', message, hint }, e.loaded.sources));
  const all = wired(environments);
  for (const e of all) {
    if (e.gitops.flux && e.gitops.targetRevision === 'HEAD') {
      error(e, ['gitops', 'targetRevision'], 'Flux cannot follow "HEAD"', 'name the branch, such as "main"');
    }
  }
  const inSet = all.filter((e) => e.gitops.argocd?.applicationSet);
  for (const e of inSet) {
    const { destination } = e.gitops.argocd!;
    if (destination.name !== e.name) {
      error(
        e, ['gitops', 'argocd', 'destination'],
        `the ApplicationSet deploys each environment to the Argo CD cluster named like its folder ("${e.name}"), not to ${JSON.stringify(destination)}`,
        'name the cluster after the environment in Argo CD, or set applicationSet: false for an Application of its own',
      );
    }
  }
  const [first, ...others] = inSet;
  for (const e of others) {
    shared(e).forEach(([keyPath, value], i) => {
      const expected = shared(first)[i][1];
      if (value === expected) return;
      error(
        e, keyPath,
        `${formatPath(keyPath)} is ${JSON.stringify(value)} here but ${JSON.stringify(expected)} for ${first.name} (${first.loaded.file.file}): ` +
          'the environments of the one ApplicationSet must agree on it',
        'set it once in the fragment they extend, or set applicationSet: false for an Application of its own',
      );
    });
  }
  return findings;
}

/** The settings every environment of the ApplicationSet must share, each with its key path in the environment file. */
function shared({ gitops, namespace }: Wired): [string[], unknown][] {
  return [
    [['gitops', 'repoURL'], gitops.repoURL],
    [['gitops', 'targetRevision'], gitops.targetRevision],
    [['gitops', 'path'], gitops.path],
    [['gitops', 'cascadeDelete'], gitops.cascadeDelete],
    [['gitops', 'argocd', 'project'], gitops.argocd!.project],
    [['gitops', 'argocd', 'namespace'], gitops.argocd!.namespace],
    [['gitops', 'argocd', 'automated'], gitops.argocd!.automated],
    [['velero', 'namespace'], namespace],
  ];
}

/**
 * dist/_gitops/: `argocd/` (an Application per environment that has one), `argocd-applicationset/`
 * (the ApplicationSet), `flux/<environment>/` (each cluster's GitRepository and Kustomization),
 * each a kustomize folder of its own, none part of an environment's. Undefined when no
 * environment has `gitops.argocd` or `gitops.flux`. Run checkGitOps first.
 */
export function renderGitOps(environments: readonly DeliveredEnvironment[], environmentsDir: string, outputDir: string): { wiring?: RenderedEnvironment; findings: Finding[] } {
  const all = wired(environments);
  if (all.length === 0) return { findings: [] };
  const app = new App();
  const folders = new Map<string, HeadedManifest[]>();
  const add = (folder: string, chart: Chart, top: string) =>
    folders.set(folder, [...(folders.get(folder) ?? []), ...(chart.toJson() as Manifest[]).map((manifest) => ({ manifest, header: top }))]);
  const folderOf = (e: Wired) => ({ repoURL: e.gitops.repoURL, targetRevision: e.gitops.targetRevision, path: `${e.gitops.path}/${e.name}` });

  for (const e of all) {
    const top = header(e.loaded.sources.map((s) => s.file));
    const { argocd, flux, cascadeDelete } = e.gitops;
    if (argocd && !argocd.applicationSet) {
      const chart = new Chart(app, `argocd-${e.name}`);
      new ArgoCdApplication(chart, 'application', {
        environment: e.name, namespace: argocd.namespace, project: argocd.project, automated: argocd.automated, cascadeDelete,
        source: folderOf(e), destination: { ...argocd.destination, namespace: e.namespace },
      });
      add('argocd', chart, top);
    }
    if (flux) {
      const chart = new Chart(app, `flux-${e.name}`);
      new FluxSync(chart, 'sync', {
        namespace: flux.namespace, source: folderOf(e), interval: flux.interval, timeout: flux.timeout, secretName: flux.secretName, cascadeDelete,
        healthChecks: e.daemonSets.map((name) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: e.namespace })),
      });
      add(`flux/${e.name}`, chart, top);
    }
  }
  const inSet = all.filter((e) => e.gitops.argocd?.applicationSet);
  if (inSet.length) {
    const [{ gitops, namespace }] = inSet;
    const members = new Set(inSet.map((e) => e.name));
    const chart = new Chart(app, 'argocd-applicationset');
    new ArgoCdApplicationSet(chart, 'fleet', {
      namespace: gitops.argocd!.namespace, project: gitops.argocd!.project, automated: gitops.argocd!.automated, cascadeDelete: gitops.cascadeDelete,
      repoURL: gitops.repoURL, targetRevision: gitops.targetRevision, path: gitops.path, destinationNamespace: namespace,
      exclude: [GITOPS_FOLDER, ...environments.map((e) => e.name).filter((name) => !members.has(name)).sort()],
    });
    add('argocd-applicationset', chart, fleetHeader(environmentsDir));
  }

  if (folders.size === 0) return { findings: [] };
  const files = new Map<string, string>();
  const manifests = new Map<string, Manifest>();
  for (const [folder, objects] of [...folders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A folder of one environment's wiring is headed like its files; the Applications' folder lists the whole fleet.
    const top = folder.startsWith('flux/') ? objects[0].header : fleetHeader(environmentsDir);
    const rendered = renderFolder(objects, top);
    for (const [file, text] of rendered.files) files.set(`${folder}/${file}`, text);
    for (const [file, manifest] of rendered.manifests) manifests.set(`${folder}/${file}`, manifest);
  }
  const wiring = { name: GITOPS_FOLDER, files, manifests };
  return { wiring, findings: checkSchemas(wiring, outputDir, 'a bug in constructs/gitops/, not in the environment files: please report it') };
}

