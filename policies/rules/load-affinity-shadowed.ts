import { atLeast } from '../../velero/releases';
import { Rule } from './rule';

export const loadAffinityShadowed: Rule = {
  id: 'load-affinity-shadowed',
  severity: 'warning',
  summary:
    'A loadAffinity element Velero never uses: before 1.17 every element after the first; from 1.17 a second element for the same storageClass, or a second one without a class.',
  check: ({ spec, release }) => {
    const affinities = spec.config?.loadAffinity ?? [];
    if (release && !atLeast(release, '1.17.0')) {
      return affinities.flatMap((a, i) =>
        i === 0 || !a
          ? []
          : [{
              path: ['config', 'loadAffinity', i],
              message: `Velero ${spec.version} uses only loadAffinity[0]: this element is ignored`,
              hint: 'merge it into loadAffinity[0], or upgrade to Velero 1.17 for per-StorageClass affinities',
            }],
      );
    }
    const seen = new Map<string, number>();
    return affinities.flatMap((a, i) => {
      if (!a) return [];
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
