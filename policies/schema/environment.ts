import { Static, Type } from '@sinclair/typebox';
import { PLATFORM_NAMES } from '../../constructs/platforms';
import { DnsLabel, DnsSubdomain, EXPECTED, Enum, HINT, Quantity, Strict, StringMap } from './keywords';
import { NodeAgentConfig } from './node-agent-config';

/**
 * The environment file, environments/<name>.yaml, after pipeline/load.ts has merged the
 * fragments it `extends` (and checked that list). README "The environment file" documents each field.
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

/** X.Y.Z without leading zeros: what semver accepts. */
export const VERSION_PATTERN = '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$';

const Velero = Strict({
  version: Type.String({
    pattern: VERSION_PATTERN,
    [EXPECTED]: 'a Velero release version such as "1.18.1"',
    [HINT]: 'write the full version, quoted, without a leading v',
  }),
  namespace: Type.Optional(DnsLabel),
  image: Type.Optional(Type.String({ minLength: 1 })),
  serviceAccountName: Type.Optional(DnsSubdomain),
  features: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]+$', [EXPECTED]: 'a Velero feature flag name such as EnableCSI' }))),
  credentialsSecret: Type.Optional(DnsSubdomain),
  createNamespace: Type.Optional(Type.Boolean()),
});

const NodeAgent = Strict({
  privileged: Type.Optional(Type.Boolean()),
  configMapName: Type.Optional(DnsSubdomain),
  resources: Type.Optional(Strict({ requests: Type.Optional(ResourceList), limits: Type.Optional(ResourceList) })),
  tolerations: Type.Optional(Type.Array(Toleration)),
  nodeSelector: Type.Optional(StringMap(Type.String())),
  priorityClassName: Type.Optional(DnsSubdomain),
  podLabels: Type.Optional(StringMap(Type.String())),
  podAnnotations: Type.Optional(StringMap(Type.String())),
  logLevel: Type.Optional(Enum(['trace', 'debug', 'info', 'warning', 'error', 'fatal', 'panic'])),
  logFormat: Type.Optional(Enum(['text', 'json'])),
  readOnlyRootFilesystem: Type.Optional(Type.Boolean()),
});

const StorageClass = Strict({
  name: DnsSubdomain,
  readOnlyFromSnapshot: Type.Optional(Type.Boolean()),
  volumeBindingMode: Type.Optional(Enum(['Immediate', 'WaitForFirstConsumer'])),
  reclaimPolicy: Type.Optional(Enum(['Delete', 'Retain'])),
});

const PolicyException = Strict({
  rule: Type.String({ minLength: 1 }),
  reason: Type.String({
    pattern: '\\S',
    [EXPECTED]: 'a reason: why this environment may break the rule',
    [HINT]: 'reviewers read the reason; every run lists the waivers',
  }),
});

export const Environment = Strict({
  name: Type.Optional(DnsLabel),
  platform: Type.Optional(Enum(PLATFORM_NAMES)),
  kubeletRootDir: Type.Optional(
    Type.String({ pattern: '^/([^/]+(/[^/]+)*)?$', [EXPECTED]: 'an absolute path without a trailing "/", such as /data/kubelet' }),
  ),
  velero: Velero,
  nodeAgent: Type.Optional(NodeAgent),
  storageClasses: Type.Optional(Type.Array(StorageClass)),
  config: Type.Optional(NodeAgentConfig),
  policyExceptions: Type.Optional(Type.Array(PolicyException)),
});

export type Environment = Static<typeof Environment>;
export type NodeAgentSettings = NonNullable<Environment['nodeAgent']>;
