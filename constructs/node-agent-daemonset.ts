import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isPinnedImage } from '../policies/kube';
import type { NodeAgentSettings } from '../policies/schema/environment';
import { PlatformProfile } from './platforms';

/**
 * The DaemonSet that `velero install` renders (v1.18.1), field for field:
 * ../shared/velero-node-agent.md section 2. Velero finds node-agent by these names.
 *
 * Built from the typed Kubernetes 1.28 object rather than cdk8s-plus' DaemonSet: that one
 * adds resources, a hashed selector label, runAsNonRoot, allowPrivilegeEscalation: false,
 * imagePullPolicy: Always and automountServiceAccountToken: false, each of which breaks
 * this contract, and stating the contract is shorter than undoing them.
 */

const DAEMONSET_NAME = 'node-agent';
const CONTAINER_NAME = 'node-agent';
const OBJECT_LABELS = { component: 'velero' } as const;
/** The immutable selector of an installation made by `velero install`. */
const SELECTOR_LABELS = { name: DAEMONSET_NAME } as const;
/** The Velero server finds node-agent pods by `role=node-agent`. */
export const POD_LABELS = { ...OBJECT_LABELS, ...SELECTOR_LABELS, role: 'node-agent' } as const;
/** Pod annotation with the hash of the ConfigMap data: a config change rolls node-agent. */
const CONFIG_HASH_ANNOTATION = 'checksum/node-agent-config';
const METRICS_PORT = 8085;
const CREDENTIALS_DIR = '/credentials';
const CREDENTIALS_ENV = [
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AZURE_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
];
/** Writable directories the uploader needs when the root filesystem is read-only (`cnb` is the image's user). */
const READ_ONLY_ROOT_DIRS = { udmrepo: '/home/cnb/udmrepo', cache: '/home/cnb/.cache' };

export interface NodeAgentDaemonSetProps {
  /** The Velero namespace. */
  readonly namespace: string;
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  readonly serviceAccountName: string;
  /** Host paths for this platform. */
  readonly platform: PlatformProfile;
  /** Run the container privileged (and allow privilege escalation, which privileged implies). */
  readonly privileged: boolean;
  /**
   * Velero feature flags, passed as `--features=`.
   * @default - none
   */
  readonly features?: readonly string[];
  /**
   * The node-agent ConfigMap: its name, passed as `--node-agent-configmap` when `flag`, and
   * the hash of its data, put on the pod template.
   * @default - no ConfigMap: no flag, no hash annotation
   */
  readonly configMap?: { readonly name: string; readonly hash: string; readonly flag: boolean };
  /**
   * Secret with the cloud credentials, mounted at /credentials as `velero install` does.
   * @default - no credentials
   */
  readonly credentialsSecret?: string;
  /**
   * Scheduling, resources, labels and logging knobs from the environment's `nodeAgent`.
   * @default - none: BestEffort, Linux nodes, Velero's log defaults
   */
  readonly settings?: Omit<NodeAgentSettings, 'privileged' | 'configMapName'>;
}

export class NodeAgentDaemonSet extends Construct {
  readonly apiObject: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: NodeAgentDaemonSetProps) {
    super(scope, id);
    const { platform, settings = {} } = props;
    const credentials = props.credentialsSecret !== undefined;

    const args = ['node-agent', 'server'];
    if (props.features?.length) args.push(`--features=${props.features.join(',')}`);
    if (props.configMap?.flag) args.push(`--node-agent-configmap=${props.configMap.name}`);
    if (settings.logLevel) args.push(`--log-level=${settings.logLevel}`);
    if (settings.logFormat) args.push(`--log-format=${settings.logFormat}`);

    const hostToContainer = 'HostToContainer';
    const volumes: k8s.Volume[] = [
      { name: 'host-pods', hostPath: { path: platform.hostPodsPath } },
      { name: 'host-plugins', hostPath: { path: platform.hostPluginsPath } },
      { name: 'scratch', emptyDir: {} },
    ];
    const mounts: k8s.VolumeMount[] = [
      { name: 'host-pods', mountPath: '/host_pods', mountPropagation: hostToContainer },
      // Block-mode volumes are symlinks into the plugins directory: same path inside as on the host.
      { name: 'host-plugins', mountPath: platform.hostPluginsPath, mountPropagation: hostToContainer },
      { name: 'scratch', mountPath: '/scratch' },
    ];
    const env: k8s.EnvVar[] = [
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'VELERO_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
    ];
    if (credentials) {
      volumes.push({ name: 'cloud-credentials', secret: { secretName: props.credentialsSecret } });
      mounts.push({ name: 'cloud-credentials', mountPath: CREDENTIALS_DIR });
      env.push(...CREDENTIALS_ENV.map((name) => ({ name, value: `${CREDENTIALS_DIR}/cloud` })));
    }
    if (settings.readOnlyRootFilesystem) {
      for (const [name, mountPath] of Object.entries(READ_ONLY_ROOT_DIRS)) {
        volumes.push({ name, emptyDir: {} });
        mounts.push({ name, mountPath });
      }
    }

    const annotations = {
      ...settings.podAnnotations,
      ...(props.configMap && { [CONFIG_HASH_ANNOTATION]: props.configMap.hash }),
    };

    this.apiObject = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: DAEMONSET_NAME, namespace: props.namespace, labels: { ...OBJECT_LABELS } },
      spec: {
        selector: { matchLabels: { ...SELECTOR_LABELS } },
        template: {
          metadata: {
            labels: { ...settings.podLabels, ...POD_LABELS },
            annotations: Object.keys(annotations).length ? annotations : undefined,
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            // node-agent is a controller: it needs its token even where the account opts out of automounting.
            automountServiceAccountToken: true,
            securityContext: { runAsUser: 0 },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] }],
                },
              },
            },
            nodeSelector: settings.nodeSelector,
            tolerations: settings.tolerations,
            priorityClassName: settings.priorityClassName,
            volumes,
            containers: [
              {
                name: CONTAINER_NAME,
                image: props.image,
                imagePullPolicy: pullPolicy(props.image),
                command: ['/velero'],
                args,
                ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
                env,
                volumeMounts: mounts,
                securityContext: {
                  privileged: props.privileged,
                  ...(props.privileged && { allowPrivilegeEscalation: true }),
                  ...(settings.readOnlyRootFilesystem && { readOnlyRootFilesystem: true }),
                },
                resources: settings.resources && {
                  requests: quantities(settings.resources.requests),
                  limits: quantities(settings.resources.limits),
                },
              },
            ],
          },
        },
      },
    });
  }
}

/** A pinned image (version tag or digest) is pulled once; `latest`, a branch or no tag, every time. */
function pullPolicy(image: string): string {
  return isPinnedImage(image) ? 'IfNotPresent' : 'Always';
}

function quantities(list?: Record<string, string | number>): Record<string, k8s.Quantity> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(Object.entries(list).map(([name, value]) => [name, k8s.Quantity.fromString(String(value))]));
}
