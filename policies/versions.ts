import * as semver from 'semver';

/** The Velero releases this tool renders for. */
const SUPPORTED_VELERO = '>=1.13.0 <1.19.0';
export const SUPPORTED_VELERO_TEXT = '1.13.0 up to 1.18.x';

/** From 1.15 node-agent takes `--node-agent-configmap`; before, the name is fixed. */
const CONFIGMAP_FLAG_SINCE = '1.15.0';
export const LEGACY_CONFIGMAP_NAME = 'node-agent-config';

export const isSupported = (version: string) => semver.satisfies(version, SUPPORTED_VELERO);
export const hasConfigMapFlag = (version: string) => semver.gte(version, CONFIGMAP_FLAG_SINCE);
