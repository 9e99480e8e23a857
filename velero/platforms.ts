/**
 * Host paths and privileges per platform: ../shared/velero-node-agent.md section 3, from
 * Velero's docs (CSI Snapshot Data Movement, "Configure Node Agent DaemonSet spec") corrected
 * by its code where they disagree. The README's platform table is written from this one.
 */
export interface PlatformProfile {
  /** hostPath of the `host-pods` volume, mounted at /host_pods. Always the kubelet's `pods` folder. */
  readonly hostPodsPath: string;
  /** hostPath of the `host-plugins` volume. */
  readonly hostPluginsPath: string;
  /**
   * Where host-plugins is mounted in the container when this platform's docs move it too.
   * @default - see pluginsMountPath() in velero/daemonset.ts
   */
  readonly pluginsMountPath?: string;
  /** Whether node-agent must run privileged to read the pod volumes under the host path. */
  readonly privileged: boolean;
  /** OpenShift: SCC `privileged` for the service account, the namespace node-selector annotation, privilegedFsBackup. */
  readonly openshift: boolean;
}

/** The kubelet root of kubeadm and most distributions; `velero install --kubelet-root-dir` defaults to it. */
export const DEFAULT_KUBELET_ROOT = '/var/lib/kubelet';

/** Both host paths under one kubelet root, as `velero install --kubelet-root-dir` derives them (1.17+). */
function rooted(root: string, extra: Partial<PlatformProfile> = {}): PlatformProfile {
  return { hostPodsPath: `${root}/pods`, hostPluginsPath: `${root}/plugins`, privileged: false, openshift: false, ...extra };
}

export const PLATFORMS = {
  /** kubeadm, EKS, GKE, AKS, RKE2, current k3s, Talos. */
  kubernetes: rooted(DEFAULT_KUBELET_ROOT),
  /** RKE1 on RancherOS: Velero's docs move only host-pods (seed 003, Velero issue 1347). */
  rancheros: rooted(DEFAULT_KUBELET_ROOT, { hostPodsPath: '/opt/rke/var/lib/kubelet/pods' }),
  /**
   * Nutanix Karbon: the kubelet root is /var/nutanix/var/lib/kubelet. Velero's doc path has no
   * `/pods`, which node-agent's startup check rejects (server.go validatePodVolumesHostPath).
   */
  nutanix: rooted('/var/nutanix/var/lib/kubelet'),
  openshift: rooted(DEFAULT_KUBELET_ROOT, { privileged: true, openshift: true }),
  /** IBM Cloud: plugins live under /var/data, host path and mount path both (Velero PR 8077). */
  'openshift-ibm-cloud': rooted(DEFAULT_KUBELET_ROOT, {
    hostPluginsPath: '/var/data/kubelet/plugins',
    pluginsMountPath: '/var/data/kubelet/plugins',
    privileged: true,
    openshift: true,
  }),
  /** VMware TKGI (Enterprise PKS): pods under /var/vcap; the plan must "Allow Privileged" (issue 1571). */
  tkgi: rooted(DEFAULT_KUBELET_ROOT, { hostPodsPath: '/var/vcap/data/kubelet/pods', privileged: true }),
  /** AKS: no path change; Azure Files classes need `nouser_xattr` for file-system backup. */
  azure: rooted(DEFAULT_KUBELET_ROOT),
  /** MicroK8s (snap): Velero issue 2858. */
  microk8s: rooted('/var/snap/microk8s/common/var/lib/kubelet'),
  /** k0s: Velero PR 8254. */
  k0s: rooted('/var/lib/k0s/kubelet'),
} as const satisfies Record<string, PlatformProfile>;

export type PlatformName = keyof typeof PLATFORMS;

/** Names people write for a distribution, and the platform that covers it. */
export const PLATFORM_ALIASES: Readonly<Record<string, PlatformName>> = {
  kubeadm: 'kubernetes', eks: 'kubernetes', gke: 'kubernetes', aks: 'azure', rke2: 'kubernetes', k3s: 'kubernetes', talos: 'kubernetes',
  rke: 'rancheros', rke1: 'rancheros', karbon: 'nutanix', ocp: 'openshift', okd: 'openshift', roks: 'openshift-ibm-cloud', pks: 'tkgi',
};
export const PLATFORM_NAMES = Object.keys(PLATFORMS) as PlatformName[];

export const isPlatformName = (name: unknown): name is PlatformName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(PLATFORMS, name);

/**
 * The profile an environment renders with: `kubeletRootDir` replaces both host paths and the
 * platform's own plugins mount, as `velero install --kubelet-root-dir` does, and keeps its privileges.
 */
export function resolvePlatform(name: PlatformName = 'kubernetes', kubeletRootDir?: string): PlatformProfile {
  const profile: PlatformProfile = PLATFORMS[name];
  return kubeletRootDir ? rooted(kubeletRootDir, { privileged: profile.privileged, openshift: profile.openshift }) : profile;
}
