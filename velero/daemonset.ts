import { PlatformProfile } from './platforms';
import { atLeast, Release } from './releases';

/**
 * What `velero install --use-node-agent [--use-node-agent-windows]` renders, release by release:
 * pkg/install/daemonset.go and pkg/install/resources.go at every tag from v1.13.0 to v1.18.1
 * (../shared/velero-node-agent.md section 2). Other parts of Velero find node-agent by these
 * names, so they are a contract: constructs/ renders from this module and the manifest checks in
 * policies/manifests/ hold the rendered objects against it.
 */

export const DAEMONSET_NAME = 'node-agent';
export const WINDOWS_DAEMONSET_NAME = 'node-agent-windows';
/** Labels of every object `velero install` creates (resources.go Labels()). */
export const OBJECT_LABELS: Readonly<Record<string, string>> = { component: 'velero' };
/** The volume Velero reads the pods host path from (nodeagent.HostPodVolumeMount) and its mount point. */
export const HOST_PODS_VOLUME = 'host-pods';
export const HOST_PODS_MOUNT_PATH = '/host_pods';
export const HOST_PLUGINS_VOLUME = 'host-plugins';
/** `velero install` mounts host-plugins here whatever the host path (daemonset.go, every tag). */
export const INSTALL_PLUGINS_MOUNT_PATH = '/var/lib/kubelet/plugins';
export const SCRATCH_VOLUME = 'scratch';
export const SCRATCH_DIR = '/scratch';
export const METRICS_PORT = { name: 'metrics', containerPort: 8085 } as const;
export const CREDENTIALS_VOLUME = 'cloud-credentials';
export const CREDENTIALS_DIR = '/credentials';
/** Set to `/credentials/cloud` when a credentials Secret is mounted. */
export const CREDENTIALS_ENV = [
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AZURE_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
] as const;
/** Environment variables `velero install` sets itself; a user may not set them again. */
export const RESERVED_ENV = ['NODE_NAME', 'VELERO_NAMESPACE', 'VELERO_SCRATCH_DIR', ...CREDENTIALS_ENV] as const;
/** Before v1.15 node-agent reads only a ConfigMap of this name; from v1.15 it is the usual name. */
export const LEGACY_CONFIGMAP_NAME = 'node-agent-config';
/** The Windows nodes' taint `velero install` tolerates on node-agent-windows. */
const WINDOWS_TAINT = { key: 'os', operator: 'Equal', value: 'windows' } as const;

/** How `velero install` keeps the Linux DaemonSet off Windows nodes, and the Windows one on them. */
export type OsScheduling =
  /** v1.13-v1.15: nothing. */
  | 'none'
  /** v1.16.0-v1.18.0: `nodeSelector {kubernetes.io/os: <os>}` and `spec.os.name: <os>`. */
  | 'node-selector'
  /** v1.18.1: a required node affinity on kubernetes.io/os (NotIn [windows] / In [windows]), plus `spec.os.name` on Windows only. */
  | 'affinity';

export interface InstallContract {
  readonly release: Release;
  /** Labels Velero finds node-agent pods by: `name=node-agent` before v1.16, `role=node-agent` from v1.16 (nodeagent.IsRunning*). */
  readonly podLabels: (daemonSetName: string) => Readonly<Record<string, string>>;
  readonly osScheduling: OsScheduling;
  /** v1.13 renders requests 500m/512Mi and limits 1000m/1Gi by default; v1.14 on, none (BestEffort). */
  readonly defaultResources?: { readonly requests: Readonly<Record<string, string>>; readonly limits: Readonly<Record<string, string>> };
  /** The credentials Secret volume's `defaultMode`: 0444 from v1.16.2, unset before. */
  readonly credentialsDefaultMode?: number;
  /** `--node-agent-configmap` (v1.15+): before, node-agent reads only `node-agent-config`. */
  readonly configMapFlag: boolean;
  /** `--backup-repository-configmap` on node-agent (v1.18.0+). */
  readonly backupRepositoryConfigMapFlag: boolean;
  /** `velero install --kubelet-root-dir`, `--node-agent-disable-host-path`, `--node-agent-priority-class-name` (v1.17+). */
  readonly installKubeletRootDir: boolean;
  readonly disableHostPath: boolean;
  /** `--use-node-agent-windows` (v1.16+), and the taint effects node-agent-windows tolerates (NoExecute from v1.17). */
  readonly windows?: { readonly tolerations: readonly { key: string; operator: string; value: string; effect: string }[] };
  /** From v1.17 a missing or undecodable ConfigMap makes node-agent exit; before, it runs without it. */
  readonly configMapRequired: boolean;
  /** From v1.18 a ConfigMap with more than one data key is a startup error; before, an arbitrary key wins. */
  readonly configMapOneKey: boolean;
}

/** The contract of one release. */
export function installContract(release: Release): InstallContract {
  const since = (version: string) => atLeast(release, version);
  return {
    release,
    podLabels: (name) => ({ ...OBJECT_LABELS, name, ...(since('1.16.0') && { role: 'node-agent' }) }),
    osScheduling: since('1.18.1') ? 'affinity' : since('1.16.0') ? 'node-selector' : 'none',
    defaultResources: since('1.14.0')
      ? undefined
      : { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
    credentialsDefaultMode: since('1.16.2') ? 0o444 : undefined,
    configMapFlag: since('1.15.0'),
    backupRepositoryConfigMapFlag: since('1.18.0'),
    installKubeletRootDir: since('1.17.0'),
    disableHostPath: since('1.17.0'),
    windows: since('1.16.0')
      ? { tolerations: (since('1.17.0') ? ['NoSchedule', 'NoExecute'] : ['NoSchedule']).map((effect) => ({ ...WINDOWS_TAINT, effect })) }
      : undefined,
    configMapRequired: since('1.17.0'),
    configMapOneKey: since('1.18.0'),
  };
}

/**
 * Where host-plugins is mounted. `velero install` always uses /var/lib/kubelet/plugins. On
 * v1.13/v1.14 node-agent's own block data path follows symlinks into the plugins folder, which
 * resolve only at the host's absolute path (Velero issue 7947, PR 8077), so there we mount it at
 * the host path: a deliberate difference (README "Where we differ from velero install"). From
 * v1.15 data movers attach block volumes as devices and the mount path no longer matters; a
 * platform whose docs move it (IBM Cloud) keeps its documented path.
 */
export function pluginsMountPath(release: Release, platform: PlatformProfile): string {
  if (!atLeast(release, '1.15.0')) return platform.hostPluginsPath;
  return platform.pluginsMountPath ?? INSTALL_PLUGINS_MOUNT_PATH;
}

/** The image `velero install` uses for a release (internal/velero/images.go DefaultVeleroImage). */
export const defaultImage = (version: string) => `velero/velero:v${version}`;

/**
 * `velero install`'s pull policy (daemonset.go): IfNotPresent only when the image has exactly
 * one ':' and the tag is not `latest`. A registry port or a digest therefore makes it Always.
 */
export function installPullPolicy(image: string): 'IfNotPresent' | 'Always' {
  const parts = image.split(':');
  return parts.length === 2 && parts[1] !== 'latest' ? 'IfNotPresent' : 'Always';
}
