import { Rule } from './rule';

export const restorePvcDelayBinding: Rule = {
  id: 'restore-pvc-delay-binding',
  severity: 'warning',
  summary: 'restorePVC.ignoreDelayBinding with WaitForFirstConsumer classes: volumes are provisioned on an arbitrary node, and with topology constraints the restored workload cannot mount them.',
  needs: 'storageClasses',
  applies: ({ spec }) => !!spec.config?.restorePVC?.ignoreDelayBinding,
  check: ({ spec }) => {
    if (!spec.config?.restorePVC?.ignoreDelayBinding) return [];
    const delayed = (spec.inventory?.storageClasses ?? []).filter((sc) => sc.volumeBindingMode === 'WaitForFirstConsumer').map((sc) => sc.name);
    return delayed.length
      ? [{
          path: ['config', 'restorePVC', 'ignoreDelayBinding'],
          message: `restores ignore WaitForFirstConsumer on ${delayed.join(', ')}: each volume is provisioned for an arbitrary node`,
          hint: 'keep it only if these classes have no topology constraints (zones, local volumes)',
        }]
      : [];
  },
};
