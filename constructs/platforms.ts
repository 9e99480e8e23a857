/**
 * Host paths and privileges per platform: ../shared/velero-node-agent.md section 3.
 * One row per platform; the README's platform table is written from this one.
 */
export interface PlatformProfile {
  /** hostPath of the `host-pods` volume (mounted at /host_pods). */
  readonly hostPodsPath: string;
  /** hostPath of the `host-plugins` volume, mounted at the same absolute path in the container. */
  readonly hostPluginsPath: string;
  /** Whether node-agent must run privileged to read the host paths. */
  readonly privileged: boolean;
  /** OpenShift: SCC `privileged` for the service account and the namespace node-selector annotation. */
  readonly openshift: boolean;
}

const DEFAULT_ROOT = '/var/lib/kubelet';

/** A platform whose kubelet keeps both directories under `root`. */
function rooted(root: string, extra: Partial<PlatformProfile> = {}): PlatformProfile {
  return {
    hostPodsPath: `${root}/pods`,
    hostPluginsPath: `${root}/plugins`,
    privileged: false,
    openshift: false,
    ...extra,
  };
}

export const PLATFORMS = {
  /** kubeadm, EKS, GKE, AKS, RKE2, k3s >= 0.10, Talos. */
  kubernetes: rooted(DEFAULT_ROOT),
  /** RKE1 on RancherOS: Velero's docs move only host-pods. */
  rancheros: rooted(DEFAULT_ROOT, { hostPodsPath: '/opt/rke/var/lib/kubelet/pods' }),
  /** Nutanix: host-pods as documented, without a trailing /pods. */
  nutanix: rooted(DEFAULT_ROOT, { hostPodsPath: '/var/nutanix/var/lib/kubelet' }),
  openshift: rooted(DEFAULT_ROOT, { privileged: true, openshift: true }),
  /** IBM Cloud keeps pods where Velero's docs say; only plugins move (Velero PR 8077). */
  'openshift-ibm-cloud': rooted(DEFAULT_ROOT, {
    hostPluginsPath: '/var/data/kubelet/plugins',
    privileged: true,
    openshift: true,
  }),
  /** VMware TKGI (Enterprise PKS): the plan must have "Allow Privileged". */
  tkgi: rooted(DEFAULT_ROOT, { hostPodsPath: '/var/vcap/data/kubelet/pods', privileged: true }),
  /** AKS: no path change; Azure Files classes need `nouser_xattr` for file-system backup. */
  azure: rooted(DEFAULT_ROOT),
  microk8s: rooted('/var/snap/microk8s/common/var/lib/kubelet'),
  k0s: rooted('/var/lib/k0s/kubelet'),
} satisfies Record<string, PlatformProfile>;

export type PlatformName = keyof typeof PLATFORMS;
export const PLATFORM_NAMES = Object.keys(PLATFORMS) as PlatformName[];

/**
 * The profile an environment renders with: `kubeletRootDir` replaces both host paths, as
 * `velero install --kubelet-root-dir` does, and keeps the platform's privileges.
 */
export function resolvePlatform(name: PlatformName = 'kubernetes', kubeletRootDir?: string): PlatformProfile {
  const profile = PLATFORMS[name];
  return kubeletRootDir ? { ...rooted(kubeletRootDir), privileged: profile.privileged, openshift: profile.openshift } : profile;
}
