import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GitFolder, WIRING_LABELS } from './source';

/** An object Flux waits for to be ready before it calls a reconciliation done. */
export interface HealthCheck {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface FluxSyncProps {
  /** The namespace Flux runs in. */
  readonly namespace: string;
  /** The environment's folder of the rendered tree. */
  readonly source: GitFolder;
  /** How often Flux fetches the repository and reconciles. */
  readonly interval: string;
  /** How long Flux waits for the health checks. */
  readonly timeout: string;
  /**
   * The Secret with the credentials to clone the repository.
   * @default - none: a public repository
   */
  readonly secretName?: string;
  /** The node-agent DaemonSet(s). */
  readonly healthChecks: readonly HealthCheck[];
  /** Delete the environment's objects from the cluster when the Kustomization is deleted. */
  readonly cascadeDelete: boolean;
}

const NAME = 'velero-node-agent';

/**
 * One environment's Flux wiring, for the Flux of that cluster: a GitRepository and the
 * Kustomization that applies the environment's folder from it, pruning what leaves the render.
 * Deleting the Kustomization leaves the objects on the cluster unless `cascadeDelete`
 * (`deletionPolicy`, from kustomize-controller v1.5.0, Flux 2.5; older Flux drops the field and
 * mirrors `prune`).
 */
export class FluxSync extends Construct {
  constructor(scope: Construct, id: string, props: FluxSyncProps) {
    super(scope, id);
    const metadata = { name: NAME, namespace: props.namespace, labels: { ...WIRING_LABELS } };
    const gitRepository: Omit<IGitRepository, 'apiVersion' | 'kind'> = {
      metadata,
      spec: {
        url: props.source.repoURL,
        ref: fluxRef(props.source.targetRevision),
        interval: props.interval,
        secretRef: props.secretName === undefined ? undefined : { name: props.secretName },
      },
    };
    new ApiObject(this, 'GitRepository', { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', ...gitRepository });
    const kustomization: Omit<IKustomization, 'apiVersion' | 'kind'> & { spec: { deletionPolicy: string } } = {
      metadata,
      spec: {
        sourceRef: { kind: 'GitRepository', name: NAME },
        path: `./${props.source.path}`,
        interval: props.interval,
        timeout: props.timeout,
        prune: true,
        deletionPolicy: props.cascadeDelete ? 'Delete' : 'Orphan',
        healthChecks: props.healthChecks.map((h) => ({ ...h })),
      },
    };
    new ApiObject(this, 'Kustomization', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', ...kustomization });
  }
}

/** Flux names what to check out by kind: a 40-hex SHA is a commit, `refs/...` a ref name, anything else a branch. */
export function fluxRef(revision: string): { commit: string } | { name: string } | { branch: string } {
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (revision.startsWith('refs/')) return { name: revision };
  return { branch: revision };
}
