import { backupPvcReadOnly, backupPvcReadOnlyUnknown } from './backup-pvc-read-only';
import { cachePvcReclaimPolicy } from './cache-pvc-reclaim-policy';
import { configMapName } from './configmap-name';
import { imagePinned } from './image-pinned';
import { labelSelector } from './label-selector';
import { loadAffinityShadowed } from './load-affinity-shadowed';
import { loadConcurrencyMinimum, loadConcurrencyOverlap } from './load-concurrency';
import { podResources } from './pod-resources';
import { unprivilegedOnPrivilegedPlatform } from './privileged';
import { reservedPodLabels } from './reserved-pod-labels';
import { restorePvcDelayBinding } from './restore-pvc-delay-binding';
import { Rule } from './rule';
import { openshiftReadOnlyRelabeling, spcNoRelabelingWithoutReadOnly } from './spc-no-relabeling';
import { storageClassExists } from './storage-class-exists';
import { supportedVersion } from './supported-version';

/** Every semantic rule, run in this order on each environment that passed its schema. */
export const RULES: readonly Rule[] = [
  supportedVersion,
  configMapName,
  reservedPodLabels,
  storageClassExists,
  backupPvcReadOnly,
  backupPvcReadOnlyUnknown,
  spcNoRelabelingWithoutReadOnly,
  openshiftReadOnlyRelabeling,
  podResources,
  loadConcurrencyMinimum,
  loadConcurrencyOverlap,
  labelSelector,
  loadAffinityShadowed,
  restorePvcDelayBinding,
  cachePvcReclaimPolicy,
  imagePinned,
  unprivilegedOnPrivilegedPlatform,
];
