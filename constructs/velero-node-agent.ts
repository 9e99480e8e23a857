import { Construct, Node } from 'constructs';
import { AppliedWaiver, checkSpec, SkippedRule } from '../policies/check';
import { escapeText, formatPath, Problem } from '../policies/problem';
import type { NodeAgentConfig } from '../velero/node-agent-config';
import type { NodeAgentSpec } from '../policies/spec';
import { defaultImage, installContract, LEGACY_CONFIGMAP_NAME } from '../velero/daemonset';
import { resolvePlatform } from '../velero/platforms';
import { atLeast, contractRelease, Release } from '../velero/releases';
import { NodeAgentConfigMap } from './node-agent-configmap';
import { NodeAgentDaemonSet } from './node-agent-daemonset';
import { OpenShiftSccBinding } from './openshift-scc-binding';
import { VeleroNamespace } from './velero-namespace';

/** Props of VeleroNodeAgent: policies/spec.ts documents every field and its default. */
export interface VeleroNodeAgentProps extends NodeAgentSpec {}

/**
 * Velero's node-agent for one cluster: the DaemonSet `velero install` renders for the release
 * (and `node-agent-windows` when asked), the node-agent ConfigMap, and what the platform needs
 * (the OpenShift SCC RoleBinding, the Namespace with Pod Security labels).
 *
 * Every policy runs on the props when the construct is created: `problems` lists what they
 * found, and the errors fail `app.synth()` (a validation of this construct) before anything is
 * written. With an error, nothing is built. Construct ids (`namespace`, `scc-privileged`,
 * `config`, `daemonset`, `daemonset-windows`) are part of the contract: tools find objects by them.
 */
export class VeleroNodeAgent extends Construct {
  /** Every finding of the policies on the props, errors and warnings; key paths are paths in the props. */
  readonly problems: readonly Problem[];
  /** The policyExceptions in force. */
  readonly waivers: readonly AppliedWaiver[];
  /** Rules that could not run for want of part of the inventory. */
  readonly skipped: readonly SkippedRule[];
  /** The props as rendered (`null`s dropped), when they are valid. */
  readonly spec?: NodeAgentSpec;
  /** The release whose `velero install` contract is rendered (the newest known patch for a newer one). */
  readonly release?: Release;
  /** The ConfigMap, when one is rendered. */
  readonly configMap?: NodeAgentConfigMap;
  /** The Linux DaemonSet, when the props are valid. */
  readonly daemonSet?: NodeAgentDaemonSet;
  /** The Windows DaemonSet, when `nodeAgent.windows` asks for it. */
  readonly windowsDaemonSet?: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: VeleroNodeAgentProps) {
    super(scope, id);
    const check = checkSpec(props);
    this.problems = check.problems;
    this.waivers = check.waivers;
    this.skipped = check.skipped;
    const errors = check.problems.filter((p) => p.severity === 'error');
    Node.of(this).addValidation({ validate: () => errors.map(formatProblem) });
    const spec = check.valid;
    const release = spec && contractRelease(spec.version);
    if (!spec || !release) return;
    this.spec = spec;
    this.release = release;

    const contract = installContract(release);
    const platform = resolvePlatform(spec.platform, spec.kubeletRootDir);
    const { nodeAgent: settings = {} } = spec;
    const namespace = spec.namespace ?? 'velero';
    const serviceAccountName = spec.serviceAccountName ?? 'velero';
    const hostPaths = !settings.disableHostPath;

    if (spec.createNamespace) new VeleroNamespace(this, 'namespace', { name: namespace, openshift: platform.openshift });
    if (platform.openshift) new OpenShiftSccBinding(this, 'scc-privileged', { namespace, serviceAccountName });

    // Velero's docs: on OpenShift, fs-backup pods (1.17.1+) need privilegedFsBackup.
    const fsBackupDefault = platform.openshift && hostPaths && atLeast(release, '1.17.1') && spec.config?.privilegedFsBackup === undefined;
    const config: NodeAgentConfig | undefined = fsBackupDefault ? { ...spec.config, privilegedFsBackup: true } : spec.config;
    if (config) {
      const name = contract.configMapFlag ? (settings.configMapName ?? LEGACY_CONFIGMAP_NAME) : LEGACY_CONFIGMAP_NAME;
      this.configMap = new NodeAgentConfigMap(this, 'config', { namespace, name, config });
    }

    const common = {
      contract,
      namespace,
      image: spec.image ?? defaultImage(spec.version),
      serviceAccountName,
      platform,
      privileged: settings.privileged ?? (hostPaths && platform.privileged),
      hostPaths,
      features: spec.features,
      configMap: this.configMap && { name: this.configMap.name, hash: this.configMap.hash },
      credentialsSecret: spec.credentialsSecret,
      settings,
    };
    this.daemonSet = new NodeAgentDaemonSet(this, 'daemonset', { ...common, os: 'linux' });
    if (settings.windows) this.windowsDaemonSet = new NodeAgentDaemonSet(this, 'daemonset-windows', { ...common, os: 'windows' });
  }
}

/** `error  rule-id  key.path  message (hint)`: what `app.synth()` prints for each error. */
function formatProblem(p: Problem): string {
  return escapeText(`${p.severity}  ${p.rule}  ${formatPath(p.path) || '-'}  ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
}
