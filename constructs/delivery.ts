/**
 * Annotations that tell Argo CD and Flux how to apply what an environment renders. They are
 * rendered whether or not dist/_gitops/ is used: a team that writes its own Application or
 * Kustomization gets the same safety.
 */

/**
 * Argo CD applies a lower sync wave first and waits for it to be healthy before the next. The
 * ConfigMap (and on OpenShift the SCC RoleBinding) go before node-agent, which stays in wave 0:
 * from Velero 1.17 node-agent exits when its ConfigMap is missing. Flux needs no annotation for
 * this: kustomize-controller applies a ConfigMap and a RoleBinding before a DaemonSet
 * (fluxcd/pkg ssa/sort.go ReconcileOrder, applied in that order by ApplyAll in
 * ssa/manager_apply.go).
 */
export const BEFORE_NODE_AGENT: Readonly<Record<string, string>> = { 'argocd.argoproj.io/sync-wave': '-1' };

/**
 * Deleting the Velero namespace deletes the Velero server, its Secrets and its backup storage
 * locations, so neither tool may ever do it: not Argo CD when the Namespace leaves the render
 * (`createNamespace: false`) or the Application is deleted (`Prune=false,Delete=false`), nor
 * Flux when it leaves the render or the Kustomization is deleted (`prune: disabled`).
 */
export const NEVER_DELETED: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
