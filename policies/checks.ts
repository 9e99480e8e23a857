import type { Rule } from './rules/rule';

/** What a report needs to know of a check: its id, its usual severity, and what it catches. */
export type CheckInfo = Pick<Rule, 'id' | 'severity' | 'summary'>;

/**
 * Every id a finding can carry besides the semantic rules of RULES: the input, schema and
 * environment-file checks, the checks of the rendered manifests, and those only lint-configmap
 * runs. `severity` is the usual one; a finding may carry the other (the README says when).
 * test/formats.test.ts fails when the code emits an id that is neither here nor in RULES.
 */
export const CHECKS: readonly CheckInfo[] = [
  // Input: files, YAML, schemas, the environment file's own layer
  { id: 'input-file', severity: 'error', summary: 'An environment file or fragment that is not a regular file inside the environments folder (a symbolic link out of it, a FIFO, a device), or cannot be read.' },
  { id: 'input-size', severity: 'error', summary: 'An input larger than 8 MiB: no ConfigMap or environment file is that large.' },
  { id: 'input-encoding', severity: 'error', summary: 'An input that is not valid UTF-8.' },
  { id: 'yaml-syntax', severity: 'error', summary: 'Invalid YAML, duplicate keys, YAML tags beyond the core types, aliases that expand too far, or nesting too deep: nothing is read.' },
  { id: 'nesting-depth', severity: 'error', summary: 'An input nesting too deeply to be checked: a node-agent ConfigMap nests about ten levels.' },
  { id: 'schema', severity: 'error', summary: 'Unknown keys, wrong types, missing required fields, or values outside their set: Velero ignores or refuses them.' },
  { id: 'velero-version', severity: 'error', summary: 'A field newer than the Velero version: that release ignores it.' },
  { id: 'number', severity: 'error', summary: 'A number that would not be rendered as written: .inf/.nan, an integer beyond 2^53, or a float where Go wants an int.' },
  { id: 'null-value', severity: 'warning', summary: 'A key set to null: the same as leaving it out.' },
  { id: 'extends', severity: 'error', summary: 'An extends entry that is not a _fragment.yaml, is missing, is outside the environments folder, closes a cycle, or nests more than 16 levels.' },
  { id: 'environment-name', severity: 'error', summary: 'A file name that is not a DNS-1123 label, and no name: to use instead.' },
  { id: 'duplicate-name', severity: 'error', summary: 'Two environments with the same name: both would render into one folder.' },
  { id: 'gitops', severity: 'error', summary: 'Environments of the one Argo CD ApplicationSet that disagree on a setting it shares or whose cluster is not named like them, or targetRevision HEAD with Flux.' },
  { id: 'policy-exception', severity: 'error', summary: 'A waiver naming an unknown rule or a rule that only warns, a second waiver for one rule (errors), or a waiver that matches nothing (warning).' },
  // The rendered manifests: a bug in constructs/ must not ship
  { id: 'manifest-schema', severity: 'error', summary: 'A rendered object that does not validate against the Kubernetes OpenAPI schema, or an Argo CD or Flux object against its CRD schema.' },
  { id: 'daemonset-contract', severity: 'error', summary: 'A rendered DaemonSet or ConfigMap leaving the velero install contract of its release.' },
  { id: 'host-path-allowed', severity: 'error', summary: "A hostPath volume other than the platform's kubelet pods and plugins paths." },
  { id: 'privileged-only-when-needed', severity: 'error', summary: 'A privileged container where neither the platform nor nodeAgent.privileged asks for it, or the reverse.' },
  { id: 'privileged-escalation', severity: 'error', summary: 'privileged: true with allowPrivilegeEscalation: false, which Kubernetes rejects.' },
  { id: 'configmap-size', severity: 'error', summary: 'A rendered ConfigMap over 1 MiB, which Kubernetes refuses.' },
  // lint-configmap: a ConfigMap as node-agent's Go decoder reads it
  { id: 'json-syntax', severity: 'error', summary: "A ConfigMap value that is not strict JSON: Go's json.Unmarshal decodes nothing from it." },
  { id: 'go-decode', severity: 'error', summary: 'A value of the wrong kind for its Go field: json.Unmarshal fails, and node-agent exits at startup from Velero 1.17.' },
  { id: 'duplicate-key', severity: 'warning', summary: 'A key twice in one JSON object: Go applies both, in order.' },
  { id: 'case-insensitive-key', severity: 'warning', summary: 'A key that works only because Go matches field names case-insensitively.' },
  { id: 'configmap-data', severity: 'error', summary: 'A ConfigMap whose data is not one key holding a string: from Velero 1.18 node-agent will not start (before, a random key wins).' },
  { id: 'list-item', severity: 'warning', summary: 'An item of a List that is not a ConfigMap, or an empty List: nothing in it was checked.' },
];
