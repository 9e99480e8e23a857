import { POD_LABELS } from '../../constructs/node-agent-daemonset';
import { Rule } from './rule';

export const reservedPodLabels: Rule = {
  id: 'reserved-pod-labels',
  severity: 'error',
  summary: 'nodeAgent.podLabels that change component, name or role: Velero finds node-agent pods by them and the selector is immutable.',
  check: ({ env }) =>
    Object.entries(env.nodeAgent?.podLabels ?? {})
      .filter(([key, value]) => key in POD_LABELS && POD_LABELS[key as keyof typeof POD_LABELS] !== value)
      .map(([key]) => ({
        path: ['nodeAgent', 'podLabels', key],
        atKey: true,
        message: `pod label "${key}" is reserved: node-agent pods carry ${key}=${POD_LABELS[key as keyof typeof POD_LABELS]}`,
        hint: 'use another label key',
      })),
};
