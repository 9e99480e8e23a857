import { Rule, storageClasses } from './rule';

export const cachePvcReclaimPolicy: Rule = {
  id: 'cache-pvc-reclaim-policy',
  severity: 'error',
  summary: 'cachePVC on a StorageClass whose reclaimPolicy is not Delete: Velero ignores the cachePVC.',
  needs: 'storageClasses',
  applies: ({ spec }) => !!spec.config?.cachePVC?.storageClass,
  check: ({ spec }) => {
    const name = spec.config?.cachePVC?.storageClass;
    const policy = name ? storageClasses(spec)?.get(name)?.reclaimPolicy : undefined;
    return policy && policy !== 'Delete'
      ? [{
          path: ['config', 'cachePVC', 'storageClass'],
          message: `StorageClass "${name}" has reclaimPolicy ${policy}; Velero uses a cachePVC only with Delete`,
          hint: 'use a class with reclaimPolicy: Delete',
        }]
      : [];
  },
};
