import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applicationSpec, ArgoCdSyncProps, CASCADE_FINALIZER } from './argocd-application';
import { applicationName, WIRING_LABELS } from './source';

export interface ArgoCdApplicationSetProps extends ArgoCdSyncProps {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** The rendered tree's folder: every folder under it is an environment, each its own Application. */
  readonly path: string;
  /** Folders under `path` that are not environments of this ApplicationSet (`_gitops`, those with an Application of their own). */
  readonly exclude: readonly string[];
  /** The Velero namespace every environment renders into. */
  readonly destinationNamespace: string;
}

/**
 * The fleet's one ApplicationSet: a git directory generator over the environment folders, and
 * an Application per folder, deployed to the Argo CD cluster named like the folder. An
 * environment added to Git is delivered without touching Argo CD; one removed from Git loses its
 * Application, and its objects stay on the cluster unless `cascadeDelete`
 * (`syncPolicy.preserveResourcesOnDeletion`).
 */
export class ArgoCdApplicationSet extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdApplicationSetProps) {
    super(scope, id);
    const folder = { repoURL: props.repoURL, targetRevision: props.targetRevision, path: '{{.path.path}}' };
    const applicationSet: Omit<IApplicationSet, 'apiVersion' | 'kind'> = {
      metadata: { name: 'velero-node-agent', namespace: props.namespace, labels: { ...WIRING_LABELS } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            git: {
              repoURL: props.repoURL,
              revision: props.targetRevision,
              directories: [{ path: `${props.path}/*` }, ...props.exclude.map((folder) => ({ path: `${props.path}/${folder}`, exclude: true }))],
            },
          },
        ],
        template: {
          metadata: {
            name: applicationName('{{.path.basename}}'),
            labels: { ...WIRING_LABELS },
            finalizers: props.cascadeDelete ? [CASCADE_FINALIZER] : undefined,
          },
          spec: applicationSpec(props, folder, { name: '{{.path.basename}}', namespace: props.destinationNamespace }),
        },
        syncPolicy: props.cascadeDelete ? undefined : { preserveResourcesOnDeletion: true },
      },
    };
    new ApiObject(this, 'Resource', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', ...applicationSet });
  }
}
