import { DAEMONSET_NAME } from '../../velero/daemonset';
import { hasOwn, Rule } from './rule';

export const reservedPodLabels: Rule = {
  id: 'reserved-pod-labels',
  severity: 'error',
  summary: 'nodeAgent.podLabels that change component, name or (from 1.16) role: Velero finds node-agent pods by them and the selector is immutable.',
  check: ({ spec, contract }) => {
    if (!contract) return [];
    const reserved = contract.podLabels(DAEMONSET_NAME);
    return Object.entries(spec.nodeAgent?.podLabels ?? {})
      .filter(([key, value]) => hasOwn(reserved, key) && reserved[key] !== value)
      .map(([key]) => ({
        path: ['nodeAgent', 'podLabels', key],
        atKey: true,
        message: `pod label "${key}" is reserved: node-agent pods carry ${key}=${reserved[key]}`,
        hint: 'use another label key',
      }));
  },
};
