import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isPinnedImage } from '../policies/kube';
import type { NodeAgentSettings } from '../policies/spec';
import {
  CREDENTIALS_DIR, CREDENTIALS_ENV, CREDENTIALS_VOLUME, DAEMONSET_NAME, HOST_PLUGINS_VOLUME, HOST_PODS_MOUNT_PATH, HOST_PODS_VOLUME,
  InstallContract, METRICS_PORT, OBJECT_LABELS, pluginsMountPath, SCRATCH_DIR, SCRATCH_VOLUME, WINDOWS_DAEMONSET_NAME,
} from '../velero/daemonset';
import { PlatformProfile } from '../velero/platforms';
import { DURATION_FLAGS } from '../velero/server-flags';

/**
 * The DaemonSet `velero install --use-node-agent` (or `--use-node-agent-windows`) renders for one
 * release, field for field (velero/daemonset.ts), plus the settings `velero install` cannot make.
 * Built from the typed Kubernetes 1.28 object rather than cdk8s-plus' DaemonSet, whose defaults
 * (resources, a hashed selector label, runAsNonRoot, allowPrivilegeEscalation: false,
 * imagePullPolicy: Always, automountServiceAccountToken: false) each break this contract.
 */

/** Pod annotation with the hash of the ConfigMap data: a config change rolls node-agent. */
export const CONFIG_HASH_ANNOTATION = 'checksum/node-agent-config';
/** Writable folders the uploader needs under a read-only root (`cnb` is the image's user; facts sheet section 2). */
const READ_ONLY_ROOT_DIRS = { udmrepo: '/home/cnb/udmrepo', cache: '/home/cnb/.cache' } as const;
const OS_LABEL = 'kubernetes.io/os';

export interface NodeAgentDaemonSetProps {
  /** What `velero install` renders for the release. */
  readonly contract: InstallContract;
  /** `linux` renders `node-agent`; `windows` renders `node-agent-windows`. */
  readonly os: 'linux' | 'windows';
  readonly namespace: string;
  /** Container image, normally pinned by tag or digest. */
  readonly image: string;
  readonly serviceAccountName: string;
  /** Host paths for this platform. */
  readonly platform: PlatformProfile;
  /** Run the container privileged (Linux only: `velero install` sets no security context on Windows). */
  readonly privileged: boolean;
  /**
   * Mount the kubelet's pods and plugins folders (`--node-agent-disable-host-path` turns it off).
   * @default true
   */
  readonly hostPaths?: boolean;
  /**
   * Velero feature flags, passed as `--features=`.
   * @default - none
   */
  readonly features?: readonly string[];
  /**
   * The node-agent ConfigMap: its name, passed as `--node-agent-configmap` when the release has
   * the flag, and the hash of its data, put on the pod template.
   * @default - no ConfigMap: no flag, no hash annotation
   */
  readonly configMap?: { readonly name: string; readonly hash: string };
  /**
   * Secret with the cloud credentials, mounted at /credentials as `velero install` does.
   * @default - no credentials
   */
  readonly credentialsSecret?: string;
  /**
   * The environment's DaemonSet settings.
   * @default - none: what `velero install` renders
   */
  readonly settings?: NodeAgentSettings;
}

export class NodeAgentDaemonSet extends Construct {
  readonly apiObject: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: NodeAgentDaemonSetProps) {
    super(scope, id);
    const { contract, platform, settings = {} } = props;
    const windows = props.os === 'windows';
    const name = windows ? WINDOWS_DAEMONSET_NAME : DAEMONSET_NAME;

    const hostToContainer = 'HostToContainer';
    const volumes: k8s.Volume[] = [];
    const mounts: k8s.VolumeMount[] = [];
    if (props.hostPaths ?? true) {
      volumes.push({ name: HOST_PODS_VOLUME, hostPath: { path: platform.hostPodsPath } }, { name: HOST_PLUGINS_VOLUME, hostPath: { path: platform.hostPluginsPath } });
      mounts.push(
        { name: HOST_PODS_VOLUME, mountPath: HOST_PODS_MOUNT_PATH, mountPropagation: hostToContainer },
        { name: HOST_PLUGINS_VOLUME, mountPath: pluginsMountPath(contract.release, platform), mountPropagation: hostToContainer },
      );
    }
    volumes.push({ name: SCRATCH_VOLUME, emptyDir: {} });
    mounts.push({ name: SCRATCH_VOLUME, mountPath: SCRATCH_DIR });
    const env: k8s.EnvVar[] = [
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'VELERO_SCRATCH_DIR', value: SCRATCH_DIR },
    ];
    if (props.credentialsSecret !== undefined) {
      volumes.push({ name: CREDENTIALS_VOLUME, secret: { secretName: props.credentialsSecret, defaultMode: contract.credentialsDefaultMode } });
      mounts.push({ name: CREDENTIALS_VOLUME, mountPath: CREDENTIALS_DIR });
      env.push(...CREDENTIALS_ENV.map((variable) => ({ name: variable, value: `${CREDENTIALS_DIR}/cloud` })));
    }
    env.push(...(settings.env ?? []).map(({ name: variable, value }) => ({ name: variable, value })));
    if (settings.readOnlyRootFilesystem) {
      for (const [volume, mountPath] of Object.entries(READ_ONLY_ROOT_DIRS)) {
        volumes.push({ name: volume, emptyDir: {} });
        mounts.push({ name: volume, mountPath });
      }
    }

    const annotations = { ...settings.podAnnotations, ...(props.configMap && { [CONFIG_HASH_ANNOTATION]: props.configMap.hash }) };
    const resources = settings.resources ?? contract.defaultResources;
    const where = scheduling(contract, props.os, settings);

    this.apiObject = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels: { ...OBJECT_LABELS } },
      spec: {
        selector: { matchLabels: { name } },
        template: {
          metadata: { labels: { ...contract.podLabels(name) } },
          spec: {
            serviceAccountName: props.serviceAccountName,
            // node-agent is a controller: it needs its token even where the account opts out of automounting.
            automountServiceAccountToken: true,
            securityContext: windows ? undefined : { runAsUser: 0 },
            affinity: where.affinity,
            os: where.os,
            tolerations: where.tolerations,
            priorityClassName: settings.priorityClassName,
            imagePullSecrets: settings.imagePullSecrets?.map((secret) => ({ name: secret })),
            volumes,
            containers: [
              {
                name,
                image: props.image,
                imagePullPolicy: pullPolicy(props.image),
                command: ['/velero'],
                args: args(contract, props, settings),
                ports: [{ ...METRICS_PORT }],
                env,
                volumeMounts: mounts,
                securityContext: windows
                  ? undefined
                  : { privileged: props.privileged, ...(settings.readOnlyRootFilesystem && { readOnlyRootFilesystem: true }) },
                resources: resources && { requests: quantities(resources.requests), limits: quantities(resources.limits) },
              },
            ],
          },
        },
      },
    });
    // Maps keyed by the user go in as patches, applied after cdk8s' own serialisation: cdk8s
    // refuses a map with a key named `constructor` (sanitizeValue reads obj.constructor.name),
    // and such a label or annotation is valid to Kubernetes.
    const set = (pointer: string, map: Record<string, string>) => {
      if (Object.keys(map).length) this.apiObject.addJsonPatch(JsonPatch.add(pointer, Object.fromEntries(Object.entries(map))));
    };
    set('/spec/template/metadata/labels', { ...settings.podLabels, ...contract.podLabels(name) });
    set('/spec/template/metadata/annotations', annotations);
    set('/spec/template/spec/nodeSelector', where.nodeSelector);
  }
}

/** `node-agent server` and its flags, in `velero install`'s order, then the ones it cannot set. */
function args(contract: InstallContract, props: NodeAgentDaemonSetProps, settings: NodeAgentSettings): string[] {
  const list = ['node-agent', 'server'];
  if (props.features?.length) list.push(`--features=${props.features.join(',')}`);
  if (props.configMap && contract.configMapFlag) list.push(`--node-agent-configmap=${props.configMap.name}`);
  if (settings.backupRepositoryConfigMap) list.push(`--backup-repository-configmap=${settings.backupRepositoryConfigMap}`);
  if (settings.logLevel) list.push(`--log-level=${settings.logLevel}`);
  if (settings.logFormat) list.push(`--log-format=${settings.logFormat}`);
  for (const [setting, { flag }] of Object.entries(DURATION_FLAGS)) {
    const value = settings[setting as keyof typeof DURATION_FLAGS];
    if (value) list.push(`${flag}=${value}`);
  }
  return list;
}

/**
 * Where the pods may run. Linux: the release's OS scheduling (before 1.16 `velero install` has
 * none, and we add the 1.16 node selector: a deliberate difference, README "Where we differ"),
 * then the environment's node selector and tolerations. Windows: exactly `velero install`'s.
 */
function scheduling(contract: InstallContract, os: 'linux' | 'windows', settings: NodeAgentSettings) {
  const windows = os === 'windows';
  const affinity = contract.osScheduling === 'affinity'
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: OS_LABEL, operator: windows ? 'In' : 'NotIn', values: ['windows'] }] }],
          },
        },
      }
    : undefined;
  const osName = contract.osScheduling === 'node-selector' || (windows && contract.osScheduling === 'affinity') ? { name: os } : undefined;
  const osSelector: Record<string, string> = contract.osScheduling === 'affinity' ? {} : { [OS_LABEL]: os };
  const nodeSelector: Record<string, string> = windows ? osSelector : { ...settings.nodeSelector, ...osSelector };
  const tolerations = windows ? [...(contract.windows?.tolerations ?? [])] : settings.tolerations?.map((t) => ({ ...t }));
  return { affinity, os: osName, nodeSelector, tolerations: tolerations?.length ? tolerations : undefined };
}

/**
 * A pinned image (version tag or digest) is pulled once; `latest`, a branch or no tag, every
 * time. `velero install` decides by counting ':' instead (velero/daemonset.ts installPullPolicy),
 * which makes a registry port or a digest `Always`: a deliberate difference, README "Where we differ".
 */
function pullPolicy(image: string): string {
  return isPinnedImage(image) ? 'IfNotPresent' : 'Always';
}

function quantities(list?: Readonly<Record<string, string | number>>): Record<string, k8s.Quantity> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(Object.entries(list).map(([name, value]) => [name, k8s.Quantity.fromString(String(value))]));
}
