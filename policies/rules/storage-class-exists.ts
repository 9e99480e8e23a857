import type { NodeAgentSpec } from '../spec';
import { backupPVCs, Rule, storageClasses, Violation } from './rule';

/** Every StorageClass name the config refers to, with where, and whether the path points at a key. */
export function storageClassReferences(spec: NodeAgentSpec): { path: (string | number)[]; name: string; atKey?: boolean }[] {
  return [
    ...backupPVCs(spec).flatMap(({ source, settings, path }) => [
      { path, name: source, atKey: true },
      ...(settings.storageClass ? [{ path: [...path, 'storageClass'], name: settings.storageClass }] : []),
    ]),
    ...(spec.config?.cachePVC?.storageClass ? [{ path: ['config', 'cachePVC', 'storageClass'], name: spec.config.cachePVC.storageClass }] : []),
    ...(spec.config?.loadAffinity ?? []).flatMap((a, i) =>
      a?.storageClass ? [{ path: ['config', 'loadAffinity', i, 'storageClass'], name: a.storageClass }] : [],
    ),
  ];
}

export const storageClassExists: Rule = {
  id: 'storage-class-exists',
  severity: 'error',
  summary:
    'A backupPVC key, backupPVC.*.storageClass, cachePVC.storageClass or loadAffinity[].storageClass that is not in the StorageClass inventory: the DataUpload waits in Accepted for 30 minutes, then the backup is PartiallyFailed.',
  needs: 'storageClasses',
  applies: ({ spec }) => storageClassReferences(spec).length > 0,
  check: ({ spec }) => {
    const classes = storageClasses(spec);
    if (!classes) return [];
    const known = [...classes.keys()];
    return storageClassReferences(spec).flatMap(({ path, name, atKey }): Violation[] =>
      classes.has(name)
        ? []
        : [{ path, atKey, message: `StorageClass "${name}" is not in storageClasses`, hint: `known classes: ${known.join(', ') || 'none'}; add it to storageClasses if the cluster has it` }],
    );
  },
};
