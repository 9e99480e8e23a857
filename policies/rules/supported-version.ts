import { isSupported, SUPPORTED_VELERO_TEXT } from '../versions';
import { Rule } from './rule';

export const supportedVersion: Rule = {
  id: 'supported-version',
  severity: 'error',
  summary: `velero.version outside ${SUPPORTED_VELERO_TEXT}: the DaemonSet contract and ConfigMap schema are known only for these releases.`,
  check: ({ env }) =>
    isSupported(env.velero.version)
      ? []
      : [
          {
            path: ['velero', 'version'],
            message: `Velero ${env.velero.version} is not supported`,
            hint: `this tool renders Velero ${SUPPORTED_VELERO_TEXT}`,
          },
        ],
};
