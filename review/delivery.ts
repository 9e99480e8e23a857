/**
 * What Argo CD and Flux do on the cluster with what the render no longer has, as the objects
 * themselves say: a removed environment's objects go or stay by the wiring rendered for it before
 * the change (dist/_gitops/), a removed object stays when its own annotations keep it. The
 * wiring is read from the pull request's tree, so it is parsed by pipeline/source.ts and only
 * fixed sentences come out of here.
 */
import { applicationName } from '../constructs/gitops/source';
import { CASCADE_FINALIZER } from '../constructs/gitops/argocd-application';
import { NEVER_DELETED } from '../constructs/delivery';
import { SourceFile } from '../pipeline/source';
import { isMap } from '../policies/data';

/** What one tool does with a removed environment's objects. */
export interface Removal {
  readonly tool: 'Argo CD' | 'Flux';
  /** Whether it deletes them from the cluster when the environment's wiring goes. */
  readonly deletes: boolean;
  /** Why, as Markdown. */
  readonly why: string;
}

/** A wiring object of the tree before the change: a map with a `metadata` map and a `spec` map. */
export interface WiringObject {
  /** Its path in the tree, `_gitops/flux/<env>/kustomization-velero-node-agent.yaml`. */
  readonly file: string;
  readonly kind: unknown;
  readonly metadata: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
}

/** The tree's wiring files parsed, once for every removed environment; what is not such an object is left out. */
export function parseWiring(wiring: ReadonlyMap<string, string>): WiringObject[] {
  return [...wiring].flatMap(([file, text]) => {
    const object = new SourceFile(file, text).data;
    return isMap(object) && isMap(object.metadata) && isMap(object.spec) ? [{ file, kind: object.kind, metadata: object.metadata, spec: object.spec }] : [];
  });
}

/** The tools whose wiring delivered `environment` before, each with what it does now; empty when none did. */
export function removals(wiring: readonly WiringObject[], environment: string): Removal[] {
  const found: Removal[] = [];
  for (const { file, kind, metadata, spec } of wiring) {
    if (kind === 'Application' && metadata.name === applicationName(environment)) {
      const cascade = Array.isArray(metadata.finalizers) && metadata.finalizers.includes(CASCADE_FINALIZER);
      found.push(cascade
        ? { tool: 'Argo CD', deletes: true, why: `its Application carries \`${CASCADE_FINALIZER}\`` }
        : { tool: 'Argo CD', deletes: false, why: 'its Application has no resources finalizer' });
    } else if (kind === 'ApplicationSet' && generates(spec, environment)) {
      found.push(isMap(spec.syncPolicy) && spec.syncPolicy.preserveResourcesOnDeletion === true
        ? { tool: 'Argo CD', deletes: false, why: 'the ApplicationSet preserves resources on deletion' }
        : { tool: 'Argo CD', deletes: true, why: 'the ApplicationSet deletes its Application with its resources' });
    } else if (kind === 'Kustomization' && file.startsWith(`_gitops/flux/${environment}/`)) {
      const policy = spec.deletionPolicy ?? 'MirrorPrune';
      const deletes = policy === 'Delete' || policy === 'WaitForTermination' || (policy === 'MirrorPrune' && spec.prune === true);
      found.push({ tool: 'Flux', deletes, why: deletes ? 'its Kustomization prunes on deletion' : '`deletionPolicy: Orphan` on its Kustomization (Flux 2.5 and later)' });
    }
  }
  return found;
}

/** Whether an ApplicationSet's git directory generator made an Application of the environment's folder. */
function generates(spec: Record<string, unknown>, environment: string): boolean {
  const generators: unknown[] = Array.isArray(spec.generators) ? spec.generators : [];
  return generators.some((g) => {
    const directories: unknown[] = isMap(g) && isMap(g.git) && Array.isArray(g.git.directories) ? g.git.directories : [];
    const paths = (exclude: boolean) => directories.filter(isMap).filter((d) => !!d.exclude === exclude).map((d) => d.path);
    return paths(false).some((p) => typeof p === 'string' && p.endsWith('/*') && !paths(true).includes(`${p.slice(0, -2)}/${environment}`));
  });
}

/** The tools a removed object's annotations keep from deleting it (the rendered Namespace has both). */
export function retainedBy(object: unknown): ('Argo CD' | 'Flux')[] {
  const annotations = isMap(object) && isMap(object.metadata) && isMap(object.metadata.annotations) ? object.metadata.annotations : {};
  const argo = 'argocd.argoproj.io/sync-options';
  const flux = 'kustomize.toolkit.fluxcd.io/prune';
  const written = annotations[argo];
  const options = typeof written === 'string' ? written.split(',').map((o) => o.trim()) : [];
  return [
    ...(options.includes('Prune=false') && options.includes('Delete=false') ? ['Argo CD' as const] : []),
    ...(annotations[flux] === NEVER_DELETED[flux] ? ['Flux' as const] : []),
  ];
}
