/**
 * Words for what a plan and an import print: values on one line, and what a field is when it is
 * one a reader may not recognise (Helm's labels, kubectl's annotations, this tool's own fields).
 */
import { escapeText, formatPath } from '../policies/problem';
import { CONFIG_HASH_ANNOTATION } from '../constructs/node-agent-daemonset';
import { Change, fieldPattern } from './compare';
import { isMap } from '../policies/data';

/** The Helm chart's plugins mount: `velero install` mounts the plugins at /var/lib/kubelet/plugins. */
const HELM_PLUGINS_MOUNT_PATH = '/host_plugins';

const PLAIN = /^[A-Za-z0-9_/.~@+-][A-Za-z0-9_/.:=,@+~ -]*$/;
const LOOKS_TYPED = /^(true|false|null|yes|no|on|off|~|[-+]?[0-9.][0-9._eE+-]*)$/i;

/** Words standing for a value that is not shown (a JSON text, binary data): printed as they are. */
export class Described {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `(${this.text})`;
  }
}

/** A value on one line, YAML flow style: `/var/lib/kubelet/pods`, `[node-agent, server]`, `{name: scratch, emptyDir: {}}`. */
export function show(value: unknown): string {
  if (value instanceof Described) return `(${value.text})`;
  if (typeof value === 'string') return PLAIN.test(value) && !LOOKS_TYPED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (isMap(value)) return `{${Object.entries(value).map(([k, v]) => `${show(k)}: ${show(v)}`).join(', ')}}`;
  return String(value);
}

const HELM_LABELS = ['helm.sh/chart', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version'];
const HELM_ANNOTATIONS = ['meta.helm.sh/release-name', 'meta.helm.sh/release-namespace'];

/** Whether Helm installed the object: its managed-by label or its release annotations. */
export function isHelmManaged(live: { metadata: Record<string, unknown> }): boolean {
  const { labels, annotations } = live.metadata;
  return (isMap(labels) && labels['app.kubernetes.io/managed-by'] === 'Helm')
    || (isMap(annotations) && HELM_ANNOTATIONS.some((a) => a in annotations));
}

/** Whether a label key is one the Helm chart sets on its objects and pods. */
export const isHelmLabel = (key: string) => HELM_LABELS.includes(key);

/** Fields known by their pattern, and what they are. */
const KNOWN: Readonly<Record<string, string>> = {
  [`spec.template.metadata.annotations["${CONFIG_HASH_ANNOTATION}"]`]: "this tool's hash of the ConfigMap: a config change rolls node-agent",
  'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]': 'set by kubectl rollout restart',
  'metadata.annotations["argocd.argoproj.io/sync-wave"]': 'Argo CD applies it before node-agent',
  'metadata.annotations["argocd.argoproj.io/sync-options"]': 'Argo CD never prunes or deletes it',
  'metadata.annotations["kustomize.toolkit.fluxcd.io/prune"]': 'Flux never prunes or deletes it',
  'spec.template.spec.automountServiceAccountToken': 'this tool mounts the token node-agent needs as a controller',
  'spec.template.spec.hostNetwork': 'host networking',
  'spec.template.spec.dnsPolicy': 'not the default ClusterFirst',
  'spec.template.spec.terminationGracePeriodSeconds': 'the default is 30',
  'spec.updateStrategy': 'how the DaemonSet replaces its pods',
  'spec.updateStrategy.type': 'how the DaemonSet replaces its pods',
  'spec.template.spec.initContainers': 'init containers',
  'spec.template.spec.containers[*]': 'a container beside node-agent: data-mover pods expect exactly one',
  'spec.template.spec.containers[*].args': "node-agent's arguments, replaced whole",
  'spec.template.spec.containers[*].ports[*].name': "the metrics port's name",
  'spec.template.spec.volumes[*].secret.defaultMode': 'file mode of the credentials: velero install sets 0444 from 1.16.2',
  'spec.template.spec.containers[*].securityContext.privileged': 'velero install sets it, true or false',
  'spec.template.spec.affinity': 'velero install 1.18.1 keeps node-agent off Windows nodes by node affinity',
  'spec.template.spec.nodeSelector["kubernetes.io/os"]': 'OS scheduling, which this tool sets per Velero release',
};

/** What a changed field is, when it is worth saying; `helm` when the live object is Helm's. */
export function about(change: Change, helm: boolean): string | undefined {
  const pattern = fieldPattern(change.path);
  const key = change.path[change.path.length - 1];
  const value = change.kind === 'changed' ? change.from : change.kind === 'reordered' ? undefined : change.value;
  if (helm && typeof key === 'string' && /(^|\.)labels$/.test(fieldPattern(change.path.slice(0, -1))) && isHelmLabel(key)) return "the Helm chart's label";
  if (helm && typeof key === 'string' && HELM_ANNOTATIONS.includes(key)) return "Helm's record of the release that owns the object";
  if (helm && pattern === 'spec.template.metadata.annotations["checksum/secret"]') return "the Helm chart's hash of the credentials Secret";
  if (pattern === 'spec.template.spec.containers[*].volumeMounts[*]' && isMap(value) && value.mountPath === HELM_PLUGINS_MOUNT_PATH) {
    return "the Helm chart's plugins mount; velero install mounts the plugins at /var/lib/kubelet/plugins";
  }
  if (pattern === 'spec.template.spec.containers[*].env[*]' && isMap(value) && value.valueFrom !== undefined) return 'a variable from a Secret or field, which the environment file cannot set';
  if (pattern === 'spec.template.spec.containers[*].env' && change.kind === 'reordered') return 'their order is part of the pod template';
  return KNOWN[pattern];
}

/** `spec.x: a -> b (what it is)`: a change without its verb, on one line. */
export function changeBody(change: Change, helm: boolean): string {
  const what = about(change, helm);
  const body = change.kind === 'changed' ? `${show(change.from)} -> ${show(change.to)}`
    : change.kind === 'reordered' ? `${change.from.join(', ')} -> ${change.to.join(', ')}`
    : show(change.value);
  const note = change.kind === 'removed' ? `; ${change.note}` : '';
  return escapeText(`${formatPath(change.path)}: ${body}${note}${what ? `  (${what})` : ''}`);
}

/** `changed  spec.x: a -> b  (what it is)`, the verb padded so that paths line up. */
export const changeLine = (change: Change, helm: boolean) => `${change.kind.padEnd(10)}${changeBody(change, helm)}`;
