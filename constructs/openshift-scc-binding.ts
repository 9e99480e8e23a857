import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BEFORE_NODE_AGENT } from './delivery';

const SCC_PRIVILEGED_CLUSTER_ROLE = 'system:openshift:scc:privileged';

export interface OpenShiftSccBindingProps {
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/**
 * Lets the service account use the `privileged` SCC: the declarative form of
 * `oc adm policy add-scc-to-user privileged -z <serviceAccount> -n <namespace>`.
 */
export class OpenShiftSccBinding extends Construct {
  constructor(scope: Construct, id: string, props: OpenShiftSccBindingProps) {
    super(scope, id);
    new k8s.KubeRoleBinding(this, 'Resource', {
      metadata: {
        name: `${props.serviceAccountName}-scc-privileged`,
        namespace: props.namespace,
        labels: { component: 'velero' },
        annotations: { ...BEFORE_NODE_AGENT },
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SCC_PRIVILEGED_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
    });
  }
}
