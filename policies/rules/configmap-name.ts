import { LEGACY_CONFIGMAP_NAME } from '../../velero/daemonset';
import { Rule } from './rule';

export const configMapName: Rule = {
  id: 'configmap-name',
  severity: 'error',
  summary: `nodeAgent.configMapName other than ${LEGACY_CONFIGMAP_NAME} before Velero 1.15: node-agent has no --node-agent-configmap flag and would never read it.`,
  check: ({ spec, contract }) => {
    const name = spec.nodeAgent?.configMapName;
    if (!name || name === LEGACY_CONFIGMAP_NAME || !contract || contract.configMapFlag) return [];
    return [{
      path: ['nodeAgent', 'configMapName'],
      message: `Velero ${spec.version} reads only a ConfigMap named ${LEGACY_CONFIGMAP_NAME}`,
      hint: 'remove configMapName, or raise the Velero version to 1.15.0 or later (--node-agent-configmap)',
    }];
  },
};
