/**
 * How an environment is delivered: the `gitops:` block of an environment file (usually set once
 * in a fragment). From it the pipeline renders Argo CD and Flux objects into dist/_gitops/
 * (pipeline/gitops.ts); the schema is policies/schema/gitops.ts.
 */
export interface GitOpsSettings {
  /** The Git repository that holds the rendered tree: this fleet repository, as Argo CD or Flux clone it. */
  readonly repoURL: string;
  /**
   * What Argo CD and Flux follow: a branch, a full ref (`refs/tags/v3`) or a commit SHA. Flux
   * takes a 40-hex SHA as a commit, `refs/...` as a ref name and anything else as a branch.
   */
  readonly targetRevision: string;
  /**
   * Where the rendered tree sits in that repository.
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * Delete node-agent (and everything else rendered for the environment) from the cluster when
   * the environment's wiring is deleted. Off, the objects stay on the cluster, unmanaged.
   * @default false
   */
  readonly cascadeDelete?: boolean;
  /**
   * Argo CD wiring: an Application for the environment, or its folder in the fleet's ApplicationSet.
   * @default - no Argo CD wiring
   */
  readonly argocd?: ArgoCdSettings;
  /**
   * Flux wiring: a GitRepository and a Kustomization in dist/_gitops/flux/<environment>/.
   * @default - no Flux wiring
   */
  readonly flux?: FluxSettings;
}

export interface ArgoCdSettings {
  /**
   * The Argo CD project.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * The namespace Argo CD runs in, where its Applications live.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * The cluster, as Argo CD knows it: `{name}` or `{server}`.
   * @default - `{name: <environment name>}`
   */
  readonly destination?: { readonly name?: string; readonly server?: string };
  /**
   * Sync automatically, pruning and self-healing; false leaves every sync to a person.
   * @default true
   */
  readonly automated?: boolean;
  /**
   * Deliver this environment through the fleet's one ApplicationSet (a git directory generator
   * over the environment folders) instead of an Application of its own.
   * @default false
   */
  readonly applicationSet?: boolean;
}

export interface FluxSettings {
  /**
   * The namespace Flux runs in, where the GitRepository and Kustomization live.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * How often Flux fetches the repository and reconciles the environment.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * How long Flux waits for node-agent to become ready before the reconciliation fails.
   * @default '5m'
   */
  readonly timeout?: string;
  /**
   * The Secret in `namespace` with the credentials to clone `repoURL`.
   * @default - none: a public repository
   */
  readonly secretName?: string;
}

/** Every default filled in: what the wiring is rendered from. */
export interface ResolvedGitOps {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly cascadeDelete: boolean;
  readonly argocd?: Required<Omit<ArgoCdSettings, 'destination'>> & { readonly destination: { readonly name?: string; readonly server?: string } };
  readonly flux?: Required<Omit<FluxSettings, 'secretName'>> & Pick<FluxSettings, 'secretName'>;
}

/** The settings with their defaults; `environment` names the default Argo CD destination. */
export function resolveGitOps(settings: GitOpsSettings, environment: string): ResolvedGitOps {
  const { argocd, flux } = settings;
  return {
    repoURL: settings.repoURL,
    targetRevision: settings.targetRevision,
    path: settings.path ?? 'dist',
    cascadeDelete: settings.cascadeDelete ?? false,
    argocd: argocd && {
      project: argocd.project ?? 'default',
      namespace: argocd.namespace ?? 'argocd',
      destination: argocd.destination ?? { name: environment },
      automated: argocd.automated ?? true,
      applicationSet: argocd.applicationSet ?? false,
    },
    flux: flux && {
      namespace: flux.namespace ?? 'flux-system',
      interval: flux.interval ?? '10m',
      timeout: flux.timeout ?? '5m',
      secretName: flux.secretName,
    },
  };
}
