import { kubernetesSchemaViolations } from '../policies/manifests/kubernetes-schema';
import { nodeAgentContractViolations, RenderedObjects } from '../policies/manifests/node-agent-contract';
import { formatPath } from '../policies/problem';
import type { NodeAgentSpec } from '../policies/spec';
import { CREDENTIALS_VOLUME, DAEMONSET_NAME, HOST_PODS_VOLUME, LEGACY_CONFIGMAP_NAME, WINDOWS_DAEMONSET_NAME } from '../velero/daemonset';
import { isPlatformName, PLATFORMS, PlatformName, resolvePlatform } from '../velero/platforms';
import { contractRelease, lookupRelease } from '../velero/releases';

/**
 * The manifest checks as a cdk8s validation plugin (cdk8s-cli `validations:` in cdk8s.yaml), so
 * `cdk8s synth` of any cdk8s app that renders node-agent runs them:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/velero-node-agent-render
 *     version: 0.1.0
 *     class: NodeAgentManifestValidation
 *     properties: { version: 1.18.1, platform: openshift }
 * ```
 *
 * It checks every node-agent DaemonSet it finds against the Kubernetes schema and the
 * `velero install` contract of the release, and the ConfigMap it reads. The types below are the
 * parts of cdk8s-cli's plugin interface it uses (cdk8s-cli is not needed at run time).
 */
export interface NodeAgentManifestValidationProperties {
  /**
   * The Velero release.
   * @default - read from the node-agent image tag
   */
  readonly version?: string;
  /**
   * The platform, for the host paths.
   * @default - the platform whose host paths the DaemonSet mounts, else kubernetes
   */
  readonly platform?: string;
  /**
   * The kubelet root, as the construct's `kubeletRootDir`.
   * @default - the platform's
   */
  readonly kubeletRootDir?: string;
}

interface PluginContext {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  readonly logger: { log(message: string): void };
  parseManifest(manifestPath: string): any[];
}

interface Located {
  readonly object: any;
  readonly manifestPath: string;
}

export class NodeAgentManifestValidation {
  constructor(private readonly properties: NodeAgentManifestValidationProperties = {}) {}

  async validate(context: PluginContext): Promise<void> {
    const objects: Located[] = context.manifests.flatMap((manifestPath) =>
      context.parseManifest(manifestPath).filter((o) => o && typeof o === 'object').map((object) => ({ object, manifestPath })),
    );
    let failed = false;
    const violation = (ruleName: string, at: Located, path: readonly (string | number)[], message: string, fix: string) => {
      failed = true;
      context.report.addViolation({
        ruleName,
        recommendation: message,
        fix,
        violatingResources: [{ resourceName: `${at.object.kind}/${at.object.metadata?.name}`, locations: [formatPath(path) || '.'], manifestPath: at.manifestPath }],
      });
    };
    const find = (kind: string, name: string, namespace: string) =>
      objects.find(({ object }) => object.kind === kind && object.metadata?.name === name && (object.metadata?.namespace ?? 'default') === namespace);

    const daemonSets = objects.filter(({ object }) => object.kind === 'DaemonSet' && object.metadata?.name === DAEMONSET_NAME);
    if (daemonSets.length === 0) context.logger.log('no node-agent DaemonSet in these manifests: nothing to check');
    const { platform } = this.properties;
    if (platform !== undefined && !isPlatformName(platform)) {
      for (const ds of daemonSets) violation('plugin-properties', ds, [], `properties.platform "${platform}" is not a platform`, `use one of: ${Object.keys(PLATFORMS).join(', ')}`);
      context.report.submit('failure');
      return;
    }
    for (const linux of daemonSets) {
      const namespace = linux.object.metadata?.namespace ?? 'default';
      const container = linux.object.spec?.template?.spec?.containers?.[0] ?? {};
      const version = this.properties.version ?? /:v?(\d+\.\d+\.\d+)(@|$)/.exec(container.image ?? '')?.[1];
      const release = version && contractRelease(version);
      if (!version || !release) {
        const why = version ? `Velero ${version} is not a release this tool knows (${lookupRelease(version).kind})` : 'the image tag names no Velero version';
        violation('velero-version', linux, ['spec', 'template', 'spec', 'containers', 0, 'image'], why, 'set properties.version in cdk8s.yaml');
        continue;
      }
      const flag = (container.args ?? []).find((a: string) => a.startsWith('--node-agent-configmap='));
      const configMap = find('ConfigMap', flag ? flag.split('=')[1] : LEGACY_CONFIGMAP_NAME, namespace);
      const windows = find('DaemonSet', WINDOWS_DAEMONSET_NAME, namespace);
      const rendered: RenderedObjects = { daemonSet: linux.object, windowsDaemonSet: windows?.object, configMap: configMap?.object };
      const spec = this.specOf(version, rendered);
      const where: Record<string, Located | undefined> = { daemonSet: linux, windowsDaemonSet: windows, configMap };
      for (const at of [linux, windows, configMap]) {
        for (const v of at ? kubernetesSchemaViolations(at.object) : []) violation('manifest-schema', at!, v.path, v.message, 'a rendered object must be valid Kubernetes');
      }
      for (const v of nodeAgentContractViolations(rendered, spec, resolvePlatform(spec.platform, spec.kubeletRootDir), release)) {
        violation(v.rule, where[v.object] ?? linux, v.path, v.message, 'render node-agent with the VeleroNodeAgent construct, or follow velero install');
      }
    }
    context.report.submit(failed ? 'failure' : 'success');
  }

  /** What the rendered objects say about the installation, where the properties do not. */
  private specOf(version: string, rendered: RenderedObjects): NodeAgentSpec {
    const pod = rendered.daemonSet.spec?.template?.spec ?? {};
    const container = pod.containers?.[0] ?? {};
    const hostPods = (pod.volumes ?? []).find((v: any) => v.name === HOST_PODS_VOLUME)?.hostPath?.path as string | undefined;
    const credentials = (pod.volumes ?? []).find((v: any) => v.name === CREDENTIALS_VOLUME)?.secret?.secretName;
    const repository = (container.args ?? []).find((a: string) => a.startsWith('--backup-repository-configmap='));
    const platform = this.platformOf(hostPods);
    return {
      version,
      platform,
      kubeletRootDir: this.properties.kubeletRootDir ?? (hostPods && resolvePlatform(platform).hostPodsPath !== hostPods ? hostPods.replace(/\/pods$/, '') : undefined),
      credentialsSecret: credentials,
      nodeAgent: {
        privileged: container.securityContext?.privileged,
        resources: container.resources,
        disableHostPath: hostPods === undefined ? true : undefined,
        windows: rendered.windowsDaemonSet ? true : undefined,
        backupRepositoryConfigMap: repository?.split('=')[1],
      },
    };
  }

  /** The platform the properties name, else the one whose pods path the DaemonSet mounts. */
  private platformOf(hostPods?: string): PlatformName {
    if (isPlatformName(this.properties.platform)) return this.properties.platform;
    const matching = (Object.keys(PLATFORMS) as PlatformName[]).find((name) => PLATFORMS[name].hostPodsPath === hostPods);
    return matching ?? 'kubernetes';
  }
}
