import { atLeast } from '../../velero/releases';
import { Rule, Violation } from './rule';

export const unprivilegedOnPrivilegedPlatform: Rule = {
  id: 'unprivileged-on-privileged-platform',
  severity: 'warning',
  summary: 'nodeAgent.privileged: false on OpenShift or TKGI: node-agent cannot read the pod volumes under the host path there (SELinux, PKS plans).',
  check: ({ spec, platform }) =>
    platform?.privileged && spec.nodeAgent?.privileged === false && !spec.nodeAgent.disableHostPath
      ? [{
          path: ['nodeAgent', 'privileged'],
          message: `platform ${spec.platform} runs node-agent privileged; unprivileged it cannot read the volumes under ${platform.hostPodsPath}`,
          hint: 'remove privileged: false unless a custom SCC grants hostPath access',
        }]
      : [],
};

export const openshiftPrivilegedFsBackup: Rule = {
  id: 'openshift-privileged-fs-backup',
  severity: 'warning',
  summary: 'config.privilegedFsBackup: false on OpenShift from Velero 1.17.1: fs-backup pods run unprivileged and cannot read the volumes (SELinux), so file-system backups fail.',
  check: ({ spec, platform, release }) =>
    platform?.openshift && release && atLeast(release, '1.17.1') && spec.config?.privilegedFsBackup === false
      ? [{
          path: ['config', 'privilegedFsBackup'],
          message: 'fs-backup pods will run unprivileged: on OpenShift they cannot read the pod volumes, and file-system backups fail at backup time',
          hint: 'remove it: this tool renders privilegedFsBackup: true on OpenShift, as Velero\'s docs require',
        }]
      : [],
};

export const disableHostPath: Rule = {
  id: 'disable-host-path',
  severity: 'error',
  summary: 'nodeAgent.disableHostPath with settings that only file-system backup uses (privileged node-agent, privilegedFsBackup, kubeletRootDir): without the host path there is no file-system backup.',
  check: ({ spec }) => {
    if (!spec.nodeAgent?.disableHostPath) return [];
    const found: Violation[] = [];
    const hint = 'remove it, or drop disableHostPath to keep file-system backup';
    if (spec.nodeAgent.privileged) found.push({ path: ['nodeAgent', 'privileged'], message: 'node-agent needs no privilege without the host path', hint });
    if (spec.config?.privilegedFsBackup) found.push({ path: ['config', 'privilegedFsBackup'], message: 'there are no fs-backup pods without the host path', hint });
    if (spec.kubeletRootDir) found.push({ path: ['kubeletRootDir'], message: 'no host path is mounted with disableHostPath', hint });
    return found;
  },
};
