import { Rule, backupPVCs, inventory } from './rule';

export const backupPvcReadOnly: Rule = {
  id: 'backup-pvc-read-only',
  severity: 'error',
  summary:
    'backupPVC readOnly: true on a class whose readOnlyFromSnapshot is false: the storage cannot make a ReadOnlyMany volume from a snapshot, so the DataUpload waits 30 minutes and fails.',
  check: ({ env }) =>
    backupPVCs(env)
      .filter(({ settings, storageClass }) => settings.readOnly && inventory(env)?.get(storageClass)?.readOnlyFromSnapshot === false)
      .map(({ path, storageClass }) => ({
        path: [...path, 'readOnly'],
        message: `StorageClass "${storageClass}" cannot create a ReadOnlyMany volume from a snapshot (readOnlyFromSnapshot: false)`,
        hint: 'remove readOnly, or point storageClass at a class that can',
      })),
};

export const backupPvcReadOnlyUnknown: Rule = {
  id: 'backup-pvc-read-only-unknown',
  severity: 'warning',
  summary:
    'backupPVC readOnly: true on a class not known to support ReadOnlyMany from a snapshot (readOnlyFromSnapshot not stated): cannot be checked before it waits 30 minutes.',
  check: ({ env, platform }) => {
    if (!platform) return []; // linting a bare ConfigMap: there is no inventory to consult
    return backupPVCs(env)
      .filter(({ settings, storageClass }) => settings.readOnly && inventory(env)?.get(storageClass)?.readOnlyFromSnapshot === undefined)
      .map(({ path, storageClass }) => ({
        path: [...path, 'readOnly'],
        message: `whether StorageClass "${storageClass}" can create a ReadOnlyMany volume from a snapshot is unknown`,
        hint: `add {name: ${storageClass}, readOnlyFromSnapshot: true|false} to storageClasses`,
      }));
  },
};
