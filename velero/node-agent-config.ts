import { Static, Type } from '@sinclair/typebox';
import { EXPECTED, Enum, GO_TYPE, goType, HINT, pointer, Strict, StringMap, since } from './schema';

/**
 * The node-agent ConfigMap's JSON: Velero's `NodeAgentConfigs` (pkg/types/node_agent.go from
 * v1.17.0, pkg/nodeagent/node_agent.go before; LoadAffinity and PodResources in
 * pkg/util/kube/pod.go from v1.15.0). Keys are Velero's JSON names; `x-since` is the release
 * that introduced each, read from the source at every tag (../shared/velero-node-agent.md section 1).
 * `Strict` objects are Go structs, `StringMap`s Go maps, `Integer`s Go `int`; `x-go` names the Go
 * type where JSON Schema cannot (struct names, pointers, int64), for policies/go-json.ts.
 */

/**
 * A Go `int`/`int64`. Go takes up to 2^63-1; JavaScript holds integers exactly only up to 2^53,
 * and a larger one would be rendered rounded or as `1e+21`, which Go rejects: so that is the limit here.
 */
const GoInt = (options: Parameters<typeof Type.Integer>[0] = {}) =>
  Type.Integer({
    minimum: -Number.MAX_SAFE_INTEGER,
    maximum: Number.MAX_SAFE_INTEGER,
    [EXPECTED]: 'an integer of at most 2^53 in magnitude (larger ones cannot be written exactly)',
    ...options,
  });

const LabelSelectorRequirement = Strict(
  {
    key: Type.String(),
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

const RuledConfigs = Strict(
  {
    nodeSelector: LabelSelector,
    number: GoInt({ [HINT]: 'the number of concurrent data-path loads on nodes this rule selects' }),
  },
  { [GO_TYPE]: 'RuledConfigs' },
);

const LoadConcurrency = Strict(
  {
    globalConfig: Type.Optional(GoInt()),
    perNodeConfig: Type.Optional(Type.Array(RuledConfigs)),
    prepareQueueLength: Type.Optional(since('1.17.0', GoInt())),
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
      since('1.17.1', StringMap(Type.String({ [HINT]: 'annotation values are strings: quote true, false and numbers' }))),
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
    storageClass: Type.String(),
    residentThresholdInMB: Type.Optional(goType('int64', GoInt({ [HINT]: 'the threshold is in MB: there is no thresholdInGB' }))),
  },
  { [HINT]: 'Velero ignores a cachePVC without a storageClass (server.go validateCachePVCConfig)', [GO_TYPE]: 'CachePVC' },
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
    privilegedFsBackup: Type.Optional(since('1.17.1', Type.Boolean())),
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
 * Keys that Velero's docs put in the wrong place (facts sheet section 6): a validator that only
 * said "unknown key" would leave the user guessing, so these get the right form as a hint.
 */
export const MISPLACED_KEYS: Readonly<Record<string, string>> = {
  '/prepareQueueLength': 'prepareQueueLength belongs under loadConcurrency: {"loadConcurrency": {"prepareQueueLength": 10}}',
  '/cachePVC/thresholdInGB': 'the field is residentThresholdInMB (an integer in MB): {"cachePVC": {"residentThresholdInMB": 10240}}',
};
