import { backupPVCs, Rule } from './rule';

export const spcNoRelabelingWithoutReadOnly: Rule = {
  id: 'spc-no-relabeling-without-read-only',
  severity: 'warning',
  summary: 'backupPVC spcNoRelabeling without readOnly: true does nothing; Velero applies it only to read-only backupPVCs.',
  check: ({ spec }) =>
    backupPVCs(spec)
      .filter(({ settings }) => settings.spcNoRelabeling && !settings.readOnly)
      .map(({ path }) => ({
        path: [...path, 'spcNoRelabeling'],
        message: 'spcNoRelabeling has no effect unless readOnly is true',
        hint: 'set readOnly: true, or remove spcNoRelabeling',
      })),
};

export const openshiftReadOnlyRelabeling: Rule = {
  id: 'openshift-read-only-relabeling',
  severity: 'warning',
  summary: 'backupPVC readOnly: true on OpenShift without spcNoRelabeling: SELinux relabelling of a read-only volume fails, and the backup pod cannot start.',
  check: ({ spec, platform }) =>
    platform?.openshift
      ? backupPVCs(spec)
          .filter(({ settings }) => settings.readOnly && !settings.spcNoRelabeling)
          .map(({ path }) => ({
            path: [...path, 'readOnly'],
            message: 'a read-only backupPVC on OpenShift (SELinux) needs spcNoRelabeling: true',
            hint: 'add spcNoRelabeling: true',
          }))
      : [],
};
