/** A folder of a Git repository at a revision: what Argo CD and Flux sync from. */
export interface GitFolder {
  /** The repository, as Argo CD or Flux clone it. */
  readonly repoURL: string;
  /** A branch, a full ref (`refs/tags/v3`) or a commit SHA. */
  readonly targetRevision: string;
  /** The folder, relative to the repository's root. */
  readonly path: string;
}

/** Labels on every wiring object, so `kubectl get applications -l ...` finds them all. */
export const WIRING_LABELS: Readonly<Record<string, string>> = { 'app.kubernetes.io/part-of': 'velero-node-agent' };

/** The name of an environment's Application, and of the one the ApplicationSet generates for it. */
export const applicationName = (environment: string) => `velero-node-agent-${environment}`;
