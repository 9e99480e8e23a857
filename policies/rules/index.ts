import { backupPvcReadOnly, backupPvcReadOnlyUnknown } from './backup-pvc-read-only';
import { cachePvcReclaimPolicy } from './cache-pvc-reclaim-policy';
import { configMapName } from './configmap-name';
import { imagePinned, imageVersion } from './image';
import { kubeletRootDir } from './kubelet-root-dir';
import { labelSelector } from './label-selector';
import { labelsAndAnnotations } from './labels-and-annotations';
import { loadAffinityShadowed } from './load-affinity-shadowed';
import { loadConcurrencyMinimum, loadConcurrencyOverlap } from './load-concurrency';
import { systemNamespace } from './namespace';
import { nodeSelectorOs } from './node-selector-os';
import { forgedConfigChecksum, unconfinedProfile } from './pod-annotations';
import { podResources, resourceQuantities } from './pod-resources';
import { priorityClassExists } from './priority-class-exists';
import { disableHostPath, openshiftPrivilegedFsBackup, unprivilegedOnPrivilegedPlatform } from './privileged';
import { reservedPodLabels } from './reserved-pod-labels';
import { restorePvcDelayBinding } from './restore-pvc-delay-binding';
import { Rule } from './rule';
import { reservedEnv, serverFlagDuration } from './server-flags';
import { openshiftReadOnlyRelabeling, spcNoRelabelingWithoutReadOnly } from './spc-no-relabeling';
import { storageClassExists } from './storage-class-exists';
import { storageClassName } from './storage-class-name';
import { newerPatchRelease, supportedVersion } from './supported-version';
import { tolerations } from './tolerations';

/** Every semantic rule, run in this order on the part of each spec that passed its schema. */
export const RULES: readonly Rule[] = [
  supportedVersion,
  newerPatchRelease,
  configMapName,
  reservedPodLabels,
  labelsAndAnnotations,
  tolerations,
  resourceQuantities,
  kubeletRootDir,
  storageClassName,
  storageClassExists,
  backupPvcReadOnly,
  backupPvcReadOnlyUnknown,
  spcNoRelabelingWithoutReadOnly,
  openshiftReadOnlyRelabeling,
  podResources,
  loadConcurrencyMinimum,
  loadConcurrencyOverlap,
  labelSelector,
  nodeSelectorOs,
  loadAffinityShadowed,
  restorePvcDelayBinding,
  cachePvcReclaimPolicy,
  priorityClassExists,
  imagePinned,
  imageVersion,
  unprivilegedOnPrivilegedPlatform,
  openshiftPrivilegedFsBackup,
  disableHostPath,
  serverFlagDuration,
  reservedEnv,
  systemNamespace,
  unconfinedProfile,
  forgedConfigChecksum,
];
