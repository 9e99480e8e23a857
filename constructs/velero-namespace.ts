import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NEVER_DELETED } from './delivery';

export interface VeleroNamespaceProps {
  readonly name: string;
  /** Add `openshift.io/node-selector: ""`, so the namespace's pods run on every node. */
  readonly openshift: boolean;
}

/** Pod Security levels that allow node-agent's hostPath volumes (`baseline` rejects them). */
const POD_SECURITY_LABELS = Object.fromEntries(
  ['enforce', 'audit', 'warn'].flatMap((mode) => [
    [`pod-security.kubernetes.io/${mode}`, 'privileged'],
    [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
  ]),
);

/** The Velero namespace, as `velero install` creates it, when the environment asks for it; never deleted by Argo CD or Flux. */
export class VeleroNamespace extends Construct {
  constructor(scope: Construct, id: string, props: VeleroNamespaceProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { component: 'velero', ...POD_SECURITY_LABELS },
        annotations: { ...NEVER_DELETED, ...(props.openshift ? { 'openshift.io/node-selector': '' } : {}) },
      },
    });
  }
}
