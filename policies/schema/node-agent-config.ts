import { Static, Type } from '@sinclair/typebox';
import { EXPECTED, Enum, GO_TYPE, goType, HINT, pointer, Strict, StringMap, since } from './keywords';

/**
 * The node-agent ConfigMap's JSON, exactly as Velero decodes it (pkg/types/node_agent.go and
 * pkg/util/kube/pod.go, v1.18.1). Keys are Velero's JSON names; `x-since` marks the Velero
 * version that introduced each one; `x-go` names the Go type where JSON Schema cannot (struct
 * names, pointers, int64), for policies/go-json.ts. See ../shared/velero-node-agent.md section 1.
 */

const LabelSelectorRequirement = Strict(
  {
    key: Type.String({ minLength: 1 }),
    operator: Enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: Type.Optional(Type.Array(Type.String())),
  },
  { [HINT]: 'a Kubernetes LabelSelectorRequirement: {key, operator: In|NotIn|Exists|DoesNotExist, values}', [GO_TYPE]: 'metav1.LabelSelectorRequirement' },
);

/** Kubernetes' metav1.LabelSelector. */
export const LabelSelector = Strict(
  {
    matchLabels: Type.Optional(StringMap(Type.String())),
    matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirement)),
  },
  { [GO_TYPE]: 'metav1.LabelSelector' },
);

const PerNodeLoadConcurrency = Strict(
  {
    nodeSelector: LabelSelector,
    number: Type.Integer({ [HINT]: 'the number of concurrent data-path loads on nodes this rule selects' }),
  },
  { [GO_TYPE]: 'RuledConfigs' },
);

const LoadConcurrency = Strict(
  {
    globalConfig: Type.Optional(Type.Integer()),
    perNodeConfig: Type.Optional(Type.Array(PerNodeLoadConcurrency)),
    prepareQueueLength: Type.Optional(since('1.17.0', Type.Integer())),
  },
  { [GO_TYPE]: 'LoadConcurrency' },
);

const LoadAffinity = Strict(
  {
    nodeSelector: LabelSelector,
    storageClass: Type.Optional(since('1.17.0', Type.String())),
  },
  { [GO_TYPE]: 'kube.LoadAffinity' },
);

const BackupPVC = Strict(
  {
    storageClass: Type.Optional(Type.String()),
    readOnly: Type.Optional(Type.Boolean()),
    spcNoRelabeling: Type.Optional(Type.Boolean()),
    annotations: Type.Optional(
      since(
        '1.18.0',
        StringMap(Type.String({ [HINT]: 'annotation values are strings: quote true, false and numbers' })),
      ),
    ),
  },
  { [GO_TYPE]: 'BackupPVC' },
);

const QuantityString = Type.String({
  [EXPECTED]: 'a Kubernetes quantity as a string, such as "500m" or "512Mi"',
  [HINT]: 'Velero reads these as strings: quote numbers',
});

const PodResources = Strict(
  {
    cpuRequest: Type.Optional(QuantityString),
    cpuLimit: Type.Optional(QuantityString),
    memoryRequest: Type.Optional(QuantityString),
    memoryLimit: Type.Optional(QuantityString),
    ephemeralStorageRequest: Type.Optional(since('1.18.1', QuantityString)),
    ephemeralStorageLimit: Type.Optional(since('1.18.1', QuantityString)),
  },
  { [GO_TYPE]: 'kube.PodResources' },
);

const RestorePVC = Strict({ ignoreDelayBinding: Type.Optional(Type.Boolean()) }, { [GO_TYPE]: 'RestorePVC' });

const CachePVC = Strict(
  {
    storageClass: Type.Optional(Type.String()),
    residentThresholdInMB: Type.Optional(goType('int64', Type.Integer({ [HINT]: 'the threshold is in MB: there is no thresholdInGB' }))),
  },
  { [GO_TYPE]: 'CachePVC' },
);

export const NodeAgentConfig = Strict(
  {
    loadConcurrency: Type.Optional(since('1.13.0', pointer(LoadConcurrency))),
    loadAffinity: Type.Optional(since('1.14.0', Type.Array(pointer(LoadAffinity)))),
    backupPVC: Type.Optional(
      since('1.15.0', StringMap(BackupPVC, { [EXPECTED]: 'a map from the source PVC StorageClass name to its backupPVC settings' })),
    ),
    podResources: Type.Optional(since('1.15.0', pointer(PodResources))),
    restorePVC: Type.Optional(since('1.16.0', pointer(RestorePVC))),
    priorityClassName: Type.Optional(since('1.17.0', Type.String())),
    privilegedFsBackup: Type.Optional(since('1.18.0', Type.Boolean())),
    cachePVC: Type.Optional(since('1.18.0', pointer(CachePVC))),
    podLabels: Type.Optional(since('1.18.0', StringMap(Type.String()))),
    podAnnotations: Type.Optional(since('1.18.0', StringMap(Type.String()))),
  },
  { [GO_TYPE]: 'NodeAgentConfigs' },
);

export type LabelSelector = Static<typeof LabelSelector>;
export type BackupPVC = Static<typeof BackupPVC>;
export type NodeAgentConfig = Static<typeof NodeAgentConfig>;

/**
 * Keys that Velero's docs put in the wrong place: a validator that only said "unknown key"
 * would leave the user guessing, so these get the right form as a hint.
 */
export const MISPLACED_KEYS: Record<string, string> = {
  '/prepareQueueLength': 'prepareQueueLength belongs under loadConcurrency: {"loadConcurrency": {"prepareQueueLength": 10}}',
  '/cachePVC/thresholdInGB': 'the field is residentThresholdInMB (an integer in MB): {"cachePVC": {"residentThresholdInMB": 10240}}',
};
