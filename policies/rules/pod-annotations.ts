import { Rule, Violation } from './rule';

/** Annotations that switch a confinement off (AppArmor and the legacy seccomp annotations). */
const UNCONFINED = /^(container\.apparmor\.security\.beta\.kubernetes\.io\/.+|seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/.+)$/;
/** The annotation this tool sets to roll node-agent on a config change (constructs/node-agent-daemonset.ts). */
const CONFIG_CHECKSUM = 'checksum/node-agent-config';

export const unconfinedProfile: Rule = {
  id: 'unconfined-profile',
  severity: 'warning',
  summary: 'nodeAgent.podAnnotations that set an AppArmor or seccomp profile to unconfined: valid, but it removes a confinement from a root pod with host paths.',
  check: ({ spec }) =>
    Object.entries(spec.nodeAgent?.podAnnotations ?? {})
      .filter(([key, value]) => UNCONFINED.test(key) && value === 'unconfined')
      .map(([key]): Violation => ({ path: ['nodeAgent', 'podAnnotations', key], message: `${key}: unconfined turns the profile off for node-agent`, hint: 'keep the runtime default profile unless a known denial needs this' })),
};

export const forgedConfigChecksum: Rule = {
  id: 'forged-config-checksum',
  severity: 'warning',
  summary: `nodeAgent.podAnnotations that set ${CONFIG_CHECKSUM}: this tool computes it from the ConfigMap to roll node-agent; a hand-set value is replaced, or (without a config) misleads.`,
  check: ({ spec }) =>
    Object.prototype.hasOwnProperty.call(spec.nodeAgent?.podAnnotations ?? {}, CONFIG_CHECKSUM)
      ? [{ path: ['nodeAgent', 'podAnnotations', CONFIG_CHECKSUM], atKey: true, message: `${CONFIG_CHECKSUM} is set by this tool from the ConfigMap's data`, hint: 'remove it' }]
      : [],
};
