import { hasConfigMapFlag, LEGACY_CONFIGMAP_NAME } from '../versions';
import { Rule } from './rule';

export const configMapName: Rule = {
  id: 'configmap-name',
  severity: 'error',
  summary: `nodeAgent.configMapName other than ${LEGACY_CONFIGMAP_NAME} before Velero 1.15: node-agent has no --node-agent-configmap flag and would never read it.`,
  check: ({ env }) => {
    const name = env.nodeAgent?.configMapName;
    if (!name || name === LEGACY_CONFIGMAP_NAME || hasConfigMapFlag(env.velero.version)) return [];
    return [
      {
        path: ['nodeAgent', 'configMapName'],
        message: `Velero ${env.velero.version} reads only a ConfigMap named ${LEGACY_CONFIGMAP_NAME}`,
        hint: 'remove configMapName, or raise velero.version to 1.15.0 or later (--node-agent-configmap)',
      },
    ];
  },
};
