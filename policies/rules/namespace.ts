import { Rule } from './rule';

/** Namespaces Kubernetes and OpenShift own: rendering them means owning (and maybe pruning) them. */
const SYSTEM_NAMESPACES = /^(default|kube-system|kube-public|kube-node-lease|openshift|openshift-.*)$/;

export const systemNamespace: Rule = {
  id: 'system-namespace',
  severity: 'warning',
  summary: 'createNamespace on a system namespace (default, kube-*, openshift-*): the rendered Namespace takes it over, relabels it privileged, and a GitOps tool may prune it.',
  check: ({ spec }) =>
    spec.createNamespace && spec.namespace && SYSTEM_NAMESPACES.test(spec.namespace)
      ? [{
          path: ['createNamespace'],
          message: `${spec.namespace} is a system namespace: rendering it relabels it with Pod Security privileged for every pod in it`,
          hint: 'install Velero into a namespace of its own, or remove createNamespace',
        }]
      : [],
};
