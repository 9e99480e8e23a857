import * as path from 'path';
import { kubernetesSchemaViolations } from '../policies/manifests/kubernetes-schema';
import { nodeAgentContractViolations } from '../policies/manifests/node-agent-contract';
import { Finding, formatPath } from './findings';
import { RenderedEnvironment } from './render';
import { SourceFile } from './source';
import { ValidEnvironment } from './validate';

/**
 * The last step of every synth: each rendered object against the Kubernetes schema, and the
 * DaemonSet against the `velero install` contract. Findings point into the rendered file
 * (`<output>/<env>/<file>`), which is not written when any of them is found.
 */
export function checkManifests(env: ValidEnvironment, rendered: RenderedEnvironment, outputDir: string): Finding[] {
  const findings: Finding[] = [];
  const report = (file: string, violations: { path: readonly (string | number)[]; message: string; rule?: string }[]) => {
    if (violations.length === 0) return;
    const source = new SourceFile(path.join(outputDir, rendered.name, file), rendered.files.get(file) ?? '');
    for (const v of violations) {
      const at = source.position(v.path) ?? { line: 1, column: 1 };
      findings.push({
        file: source.file, ...at, path: formatPath(v.path), rule: v.rule ?? 'manifest-schema', severity: 'error', message: v.message,
        hint: `a bug in constructs/, not in ${path.basename(env.file.file)}: please report it`,
      });
    }
  };
  for (const [file, manifest] of rendered.manifests) report(file, kubernetesSchemaViolations(manifest));

  const byKind = (kind: string) => [...rendered.manifests].find(([, m]) => m.kind === kind);
  const daemonSet = byKind('DaemonSet');
  const configMap = byKind('ConfigMap');
  if (!daemonSet) {
    report('kustomization.yaml', [{ path: [], message: 'no node-agent DaemonSet was rendered', rule: 'daemonset-contract' }]);
    return findings;
  }
  const violations = nodeAgentContractViolations({ daemonSet: daemonSet[1], configMap: configMap?.[1] }, env.env, env.platform);
  report(daemonSet[0], violations.filter((v) => v.object === 'daemonSet'));
  if (configMap) report(configMap[0], violations.filter((v) => v.object === 'configMap'));
  return findings;
}
