import { Rule } from './rule';

export const loadAffinityShadowed: Rule = {
  id: 'load-affinity-shadowed',
  severity: 'warning',
  summary: 'Two loadAffinity elements for the same storageClass, or more than one without a class: Velero uses only the first.',
  check: ({ env }) => {
    const seen = new Map<string, number>();
    return (env.config?.loadAffinity ?? []).flatMap((a, i) => {
      const key = a.storageClass ?? '';
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return [];
      }
      const which = a.storageClass ? `for StorageClass "${a.storageClass}"` : 'without a storageClass';
      return [{
        path: ['config', 'loadAffinity', i],
        message: `loadAffinity[${first}] is already the element ${which}: Velero uses only the first, this one is ignored`,
        hint: 'merge the two node selectors, or remove this element',
      }];
    });
  },
};
