import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applicationName, GitFolder, WIRING_LABELS } from './source';

/**
 * Argo CD deletes an Application's objects with it only when the Application carries this
 * finalizer (Argo CD docs, "App Deletion").
 */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** The cluster and namespace an Application deploys to. */
export interface ArgoCdDestination {
  /** The cluster as Argo CD names it; exactly one of name and server. */
  readonly name?: string;
  /** The cluster's API server URL; exactly one of name and server. */
  readonly server?: string;
  /** The namespace of the rendered objects: the Velero namespace. */
  readonly namespace: string;
}

/** Argo CD sync settings shared by an Application and the ApplicationSet's template. */
export interface ArgoCdSyncProps {
  /** The Argo CD project. */
  readonly project: string;
  /** Sync automatically, with prune and selfHeal; false leaves every sync to a person. */
  readonly automated: boolean;
  /** Delete the environment's objects from the cluster when its Application is deleted. */
  readonly cascadeDelete: boolean;
}

export interface ArgoCdApplicationProps extends ArgoCdSyncProps {
  /** The environment: it names the Application (`velero-node-agent-<environment>`). */
  readonly environment: string;
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /** The environment's folder of the rendered tree. */
  readonly source: GitFolder;
  readonly destination: ArgoCdDestination;
}

/** One environment's Argo CD Application. */
export class ArgoCdApplication extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    const application: Omit<IApplication, 'apiVersion' | 'kind'> = {
      metadata: {
        name: applicationName(props.environment),
        namespace: props.namespace,
        labels: { ...WIRING_LABELS },
        finalizers: props.cascadeDelete ? [CASCADE_FINALIZER] : undefined,
      },
      spec: applicationSpec(props, props.source, props.destination),
    };
    new ApiObject(this, 'Resource', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...application });
  }
}

/** The spec of an Application, or of the ApplicationSet's template. */
export function applicationSpec(sync: ArgoCdSyncProps, source: GitFolder, destination: ArgoCdDestination): IApplication['spec'] {
  return {
    project: sync.project,
    source: { repoURL: source.repoURL, targetRevision: source.targetRevision, path: source.path },
    destination: { name: destination.name, server: destination.server, namespace: destination.namespace },
    syncPolicy: sync.automated ? { automated: { prune: true, selfHeal: true } } : undefined,
  };
}
