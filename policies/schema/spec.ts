import { Static, Type } from '@sinclair/typebox';
import { NodeAgentConfig } from '../../velero/node-agent-config';
import { PLATFORM_ALIASES, PLATFORM_NAMES } from '../../velero/platforms';
import { VERSION_PATTERN } from '../../velero/releases';
import { ALIASES, EXPECTED, Enum, HINT, Strict, StringMap, since } from '../../velero/schema';
import { LOG_FORMATS, LOG_LEVELS } from '../../velero/server-flags';
import type { NodeAgentSpec } from '../spec';
import { DnsLabel, DnsSubdomain, GoDuration, Quantity } from './keywords';

/**
 * The schema of NodeAgentSpec (policies/spec.ts documents each field). Fields that need a newer
 * Velero carry `x-since`, like the ConfigMap's own fields.
 */

const Toleration = Strict({
  key: Type.Optional(Type.String()),
  operator: Type.Optional(Enum(['Exists', 'Equal'])),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(Enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
  tolerationSeconds: Type.Optional(Type.Integer()),
});

const ResourceList = Type.Record(Type.String({ pattern: '^(cpu|memory|ephemeral-storage|hugepages-.+)$' }), Quantity, {
  additionalProperties: false,
  [HINT]: 'resource names are cpu, memory, ephemeral-storage or hugepages-<size>',
});

/** Kubernetes' IsEnvVarName (k8s.io/apimachinery/pkg/util/validation). */
const EnvVar = Strict({
  name: Type.String({
    pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$',
    [EXPECTED]: 'an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit',
  }),
  value: Type.String({ [HINT]: 'values are strings: quote numbers and true/false' }),
});

export const NodeAgentSettings = Strict({
  privileged: Type.Optional(Type.Boolean()),
  configMapName: Type.Optional(DnsSubdomain),
  resources: Type.Optional(Strict({ requests: Type.Optional(ResourceList), limits: Type.Optional(ResourceList) })),
  tolerations: Type.Optional(Type.Array(Toleration)),
  nodeSelector: Type.Optional(StringMap(Type.String())),
  priorityClassName: Type.Optional(DnsSubdomain),
  podLabels: Type.Optional(StringMap(Type.String())),
  podAnnotations: Type.Optional(StringMap(Type.String())),
  logLevel: Type.Optional(Enum(LOG_LEVELS)),
  logFormat: Type.Optional(Enum(LOG_FORMATS)),
  readOnlyRootFilesystem: Type.Optional(Type.Boolean()),
  backupRepositoryConfigMap: Type.Optional(since('1.18.0', DnsSubdomain)),
  dataMoverPrepareTimeout: Type.Optional(GoDuration),
  resourceTimeout: Type.Optional(GoDuration),
  disableHostPath: Type.Optional(since('1.17.0', Type.Boolean())),
  windows: Type.Optional(since('1.16.0', Type.Boolean())),
  imagePullSecrets: Type.Optional(Type.Array(DnsSubdomain)),
  env: Type.Optional(Type.Array(EnvVar)),
});

export const StorageClassInfo = Strict({
  name: Type.String(),
  readOnlyFromSnapshot: Type.Optional(Type.Boolean()),
  volumeBindingMode: Type.Optional(Enum(['Immediate', 'WaitForFirstConsumer'])),
  reclaimPolicy: Type.Optional(Enum(['Delete', 'Retain'])),
});

export const Inventory = Strict({
  storageClasses: Type.Optional(Type.Array(StorageClassInfo)),
  priorityClasses: Type.Optional(Type.Array(DnsSubdomain)),
});

export const PolicyException = Strict({
  rule: Type.String({ minLength: 1 }),
  reason: Type.String({
    pattern: '\\S',
    [EXPECTED]: 'a reason: why this environment may break the rule',
    [HINT]: 'reviewers read the reason; every run lists the waivers',
  }),
});

export const NodeAgentSpecSchema = Strict({
  version: Type.String({
    pattern: VERSION_PATTERN,
    [EXPECTED]: 'a Velero release version such as "1.18.1"',
    [HINT]: 'write the full version, quoted, without a leading v',
  }),
  platform: Type.Optional(Enum(PLATFORM_NAMES, { [ALIASES]: PLATFORM_ALIASES })),
  kubeletRootDir: Type.Optional(Type.String()),
  namespace: Type.Optional(DnsLabel),
  image: Type.Optional(Type.String({ minLength: 1 })),
  serviceAccountName: Type.Optional(DnsSubdomain),
  features: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]+$', [EXPECTED]: 'a Velero feature flag name such as EnableCSI' }))),
  credentialsSecret: Type.Optional(DnsSubdomain),
  createNamespace: Type.Optional(Type.Boolean()),
  nodeAgent: Type.Optional(NodeAgentSettings),
  config: Type.Optional(NodeAgentConfig),
  inventory: Type.Optional(Inventory),
  policyExceptions: Type.Optional(Type.Array(PolicyException)),
});

/** Whatever the schema accepts is a NodeAgentSpec: the interface and the schema cannot drift apart silently. */
const _schemaFitsSpec = (accepted: Static<typeof NodeAgentSpecSchema>): NodeAgentSpec => accepted;
void _schemaFitsSpec;
