import { Rule, Violation, backupPVCs, inventory } from './rule';

export const storageClassExists: Rule = {
  id: 'storage-class-exists',
  severity: 'error',
  summary:
    'A backupPVC key, backupPVC.*.storageClass, cachePVC.storageClass or loadAffinity[].storageClass that is not in storageClasses: the DataUpload waits in Accepted for 30 minutes, then the backup is PartiallyFailed.',
  check: ({ env }) => {
    const classes = inventory(env);
    if (!classes) return [];
    const known = [...classes.keys()];
    const missing = (path: (string | number)[], name: string, atKey = false): Violation[] =>
      classes.has(name)
        ? []
        : [{ path, atKey, message: `StorageClass "${name}" is not in storageClasses`, hint: `known classes: ${known.join(', ') || 'none'}; add it to storageClasses if the cluster has it` }];
    return [
      ...backupPVCs(env).flatMap(({ source, settings, path }) => [
        ...missing(path, source, true),
        ...(settings.storageClass ? missing([...path, 'storageClass'], settings.storageClass) : []),
      ]),
      ...(env.config?.cachePVC?.storageClass ? missing(['config', 'cachePVC', 'storageClass'], env.config.cachePVC.storageClass) : []),
      ...(env.config?.loadAffinity ?? []).flatMap((a, i) =>
        a.storageClass ? missing(['config', 'loadAffinity', i, 'storageClass'], a.storageClass) : [],
      ),
    ];
  },
};
