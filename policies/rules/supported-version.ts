import { lookupRelease, RELEASES_TEXT } from '../../velero/releases';
import { Rule } from './rule';

export const supportedVersion: Rule = {
  id: 'supported-version',
  severity: 'error',
  summary: `version that is not a Velero release this tool knows (${RELEASES_TEXT}, velero/releases.ts): the ConfigMap fields and the DaemonSet contract are known only for these.`,
  check: ({ spec }) =>
    lookupRelease(spec.version).kind === 'unknown'
      ? [{ path: ['version'], message: `Velero ${spec.version} is not a release this tool knows`, hint: `known releases: ${RELEASES_TEXT}` }]
      : [],
};

export const newerPatchRelease: Rule = {
  id: 'newer-patch-release',
  severity: 'warning',
  summary: 'version is a patch newer than the newest known one of its minor: rendered with the contract of the newest known patch, which may have changed.',
  check: ({ spec }) => {
    const found = lookupRelease(spec.version);
    return found.kind === 'newer-patch'
      ? [{
          path: ['version'],
          message: `Velero ${spec.version} is newer than the newest release this tool knows of ${found.release.replace(/\.\d+$/, '')} (${found.release}): rendered as ${found.release}`,
          hint: `check Velero's release notes for ${spec.version}, or pin ${found.release}`,
        }]
      : [];
  },
};
