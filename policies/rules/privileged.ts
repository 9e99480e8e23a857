import { Rule } from './rule';

export const unprivilegedOnPrivilegedPlatform: Rule = {
  id: 'unprivileged-on-privileged-platform',
  severity: 'warning',
  summary: 'nodeAgent.privileged: false on OpenShift or TKGI: node-agent cannot read the pod volumes under the host path there (SELinux, PKS plans).',
  check: ({ env, platform }) =>
    platform?.privileged && env.nodeAgent?.privileged === false
      ? [{
          path: ['nodeAgent', 'privileged'],
          message: `platform ${env.platform} runs node-agent privileged; unprivileged it cannot read the volumes under ${platform.hostPodsPath}`,
          hint: 'remove privileged: false unless a custom SCC grants hostPath access',
        }]
      : [],
};
