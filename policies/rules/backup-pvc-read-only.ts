import { backupPVCs, Rule, storageClasses } from './rule';

const readOnlyEntries = (spec: Parameters<typeof backupPVCs>[0]) => backupPVCs(spec).filter(({ settings }) => settings.readOnly);

export const backupPvcReadOnly: Rule = {
  id: 'backup-pvc-read-only',
  severity: 'error',
  summary:
    'backupPVC readOnly: true on a class whose readOnlyFromSnapshot is false: the storage cannot make a ReadOnlyMany volume from a snapshot, so the DataUpload waits 30 minutes and fails.',
  needs: 'storageClasses',
  applies: ({ spec }) => readOnlyEntries(spec).length > 0,
  check: ({ spec }) =>
    readOnlyEntries(spec)
      .filter(({ storageClass }) => storageClasses(spec)?.get(storageClass)?.readOnlyFromSnapshot === false)
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
    'backupPVC readOnly: true on a class not known to support ReadOnlyMany from a snapshot (no inventory, or readOnlyFromSnapshot not stated): cannot be checked before it waits 30 minutes.',
  check: ({ spec, platform }) => {
    if (!platform) return []; // linting a bare ConfigMap: there is no inventory to consult
    return readOnlyEntries(spec)
      .filter(({ storageClass }) => storageClasses(spec)?.get(storageClass)?.readOnlyFromSnapshot === undefined)
      .map(({ path, storageClass }) => ({
        path: [...path, 'readOnly'],
        message: `whether StorageClass "${storageClass}" can create a ReadOnlyMany volume from a snapshot is unknown`,
        hint: `add {name: ${storageClass}, readOnlyFromSnapshot: true|false} to storageClasses`,
      }));
  },
};
