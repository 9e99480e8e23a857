/**
 * What the API server writes into an object by itself: a live object read back with `kubectl get`
 * holds these whether or not anyone asked for them, so a comparison with a rendered object must
 * not count them as settings someone made.
 */
import { parseImage } from '../policies/kube';

/** A field path with `[*]` for any list element: `spec.template.spec.containers[*].ports[*].protocol`. */
export type FieldPattern = string;

/** A default: a fixed value, or one computed from the map that holds the field (the container, the pod spec) or from the whole object. */
export type DefaultValue =
  | { readonly value: unknown }
  | { readonly from: (parent: Record<string, unknown>, object: Record<string, unknown>) => unknown };

export interface ServerDefault {
  readonly field: FieldPattern;
  readonly default: DefaultValue;
  /** Where Kubernetes sets it, for the reader who wants to check. */
  readonly source: string;
}

const fixed = (value: unknown): DefaultValue => ({ value });
const SPEC = 'pkg/apis/core/v1/defaults.go SetDefaults_PodSpec';
const CONTAINER = 'pkg/apis/core/v1/defaults.go SetDefaults_Container';
const PROBE = 'pkg/apis/core/v1/defaults.go SetDefaults_Probe, SetDefaults_HTTPGetAction';
/** Go's encoding/json writes a struct held by value even when it is empty, and a zero time as null. */
const GO_ENCODING = "Go's encoding/json (a struct held by value, a zero metav1.Time)";

/** `imagePullPolicy` when unset: Always for `latest` or no tag, else IfNotPresent (SetDefaults_Container). */
function defaultPullPolicy(container: Record<string, unknown>): string {
  const image = typeof container.image === 'string' ? container.image : '';
  const { tag, digest } = parseImage(image);
  return tag === 'latest' || (tag === undefined && digest === undefined) ? 'Always' : 'IfNotPresent';
}

function containerDefaults(list: string): ServerDefault[] {
  const at = `spec.template.spec.${list}[*]`;
  const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((probe) => [
    { field: `${at}.${probe}.timeoutSeconds`, default: fixed(1), source: PROBE },
    { field: `${at}.${probe}.periodSeconds`, default: fixed(10), source: PROBE },
    { field: `${at}.${probe}.successThreshold`, default: fixed(1), source: PROBE },
    { field: `${at}.${probe}.failureThreshold`, default: fixed(3), source: PROBE },
    { field: `${at}.${probe}.httpGet.path`, default: fixed('/'), source: PROBE },
    { field: `${at}.${probe}.httpGet.scheme`, default: fixed('HTTP'), source: PROBE },
  ]);
  return [
    { field: `${at}.imagePullPolicy`, default: { from: defaultPullPolicy }, source: CONTAINER },
    { field: `${at}.terminationMessagePath`, default: fixed('/dev/termination-log'), source: CONTAINER },
    { field: `${at}.terminationMessagePolicy`, default: fixed('File'), source: CONTAINER },
    { field: `${at}.ports[*].protocol`, default: fixed('TCP'), source: 'k8s.io/api core/v1 ContainerPort +default="TCP"' },
    { field: `${at}.env[*].valueFrom.fieldRef.apiVersion`, default: fixed('v1'), source: 'pkg/apis/core/v1/defaults.go SetDefaults_ObjectFieldSelector' },
    { field: `${at}.resources`, default: fixed({}), source: GO_ENCODING },
    ...probes,
  ];
}

const VOLUMES = 'spec.template.spec.volumes[*]';
/** 0644, what the API server sets as `defaultMode` where a Secret, ConfigMap, downward API or projected volume has none. */
const MODE_0644 = 420;

/**
 * Per kind, every field the API server fills in on create or update, with the value it fills in.
 * Sources: kubernetes/kubernetes pkg/apis/apps/v1/defaults.go (SetDefaults_DaemonSet),
 * pkg/apis/core/v1/defaults.go (pod spec, container, volume and probe defaults, as the generated
 * SetObjectDefaults_DaemonSet in pkg/apis/apps/v1/zz_generated.defaults.go calls them),
 * pkg/apis/core/v1/conversion.go (the `serviceAccount` alias), and the Namespace registry. Only
 * defaults of a pod template are listed: SetDefaults_Pod (enableServiceLinks, requests from
 * limits) applies to Pods, never to a DaemonSet's template.
 */
export const SERVER_DEFAULTS: Readonly<Record<string, readonly ServerDefault[]>> = {
  DaemonSet: [
    { field: 'spec.revisionHistoryLimit', default: fixed(10), source: 'pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet' },
    { field: 'spec.updateStrategy.type', default: fixed('RollingUpdate'), source: 'pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet' },
    { field: 'spec.updateStrategy.rollingUpdate.maxUnavailable', default: fixed(1), source: 'pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet' },
    { field: 'spec.updateStrategy.rollingUpdate.maxSurge', default: fixed(0), source: 'pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet' },
    { field: 'spec.template.metadata.creationTimestamp', default: fixed(null), source: GO_ENCODING },
    { field: 'spec.template.spec.dnsPolicy', default: fixed('ClusterFirst'), source: SPEC },
    { field: 'spec.template.spec.restartPolicy', default: fixed('Always'), source: SPEC },
    { field: 'spec.template.spec.schedulerName', default: fixed('default-scheduler'), source: SPEC },
    { field: 'spec.template.spec.terminationGracePeriodSeconds', default: fixed(30), source: SPEC },
    { field: 'spec.template.spec.securityContext', default: fixed({}), source: SPEC },
    {
      field: 'spec.template.spec.serviceAccount',
      default: { from: (spec) => spec.serviceAccountName },
      source: 'pkg/apis/core/v1/conversion.go: the deprecated alias of serviceAccountName',
    },
    ...containerDefaults('containers'),
    ...containerDefaults('initContainers'),
    { field: `${VOLUMES}.hostPath.type`, default: fixed(''), source: 'pkg/apis/core/v1/defaults.go SetDefaults_HostPathVolumeSource' },
    { field: `${VOLUMES}.secret.defaultMode`, default: fixed(MODE_0644), source: 'pkg/apis/core/v1/defaults.go SetDefaults_SecretVolumeSource' },
    { field: `${VOLUMES}.configMap.defaultMode`, default: fixed(MODE_0644), source: 'pkg/apis/core/v1/defaults.go SetDefaults_ConfigMapVolumeSource' },
    { field: `${VOLUMES}.downwardAPI.defaultMode`, default: fixed(MODE_0644), source: 'pkg/apis/core/v1/defaults.go SetDefaults_DownwardAPIVolumeSource' },
    { field: `${VOLUMES}.downwardAPI.items[*].fieldRef.apiVersion`, default: fixed('v1'), source: 'pkg/apis/core/v1/defaults.go SetDefaults_ObjectFieldSelector' },
    { field: `${VOLUMES}.projected.defaultMode`, default: fixed(MODE_0644), source: 'pkg/apis/core/v1/defaults.go SetDefaults_ProjectedVolumeSource' },
    {
      field: `${VOLUMES}.projected.sources[*].serviceAccountToken.expirationSeconds`,
      default: fixed(3600),
      source: 'pkg/apis/core/v1/defaults.go SetDefaults_ServiceAccountTokenProjection',
    },
  ],
  ConfigMap: [],
  Namespace: [
    {
      field: 'metadata.labels["kubernetes.io/metadata.name"]',
      default: { from: (_labels, namespace) => (namespace.metadata as Record<string, unknown> | undefined)?.name },
      source: 'pkg/apis/core/v1/defaults.go SetDefaults_Namespace',
    },
    { field: 'spec.finalizers', default: fixed(['kubernetes']), source: 'pkg/registry/core/namespace/strategy.go PrepareForCreate' },
  ],
};

/** Metadata the API server keeps for itself, never set by a manifest. */
export const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'] as const;

/**
 * Annotations written by the tools rather than by a manifest: kubectl apply's record of the last
 * configuration it applied (rewritten by every client-side apply; what it lists decides what
 * kubectl apply removes), the DaemonSet controller's generation counter, and Argo CD's resource
 * tracking (added to every object it applies).
 */
export const TOOL_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration', 'deprecated.daemonset.template.generation', 'argocd.argoproj.io/tracking-id',
] as const;

/** Labels Flux's kustomize-controller adds to every object it applies. */
export const TOOL_LABELS = ['kustomize.toolkit.fluxcd.io/name', 'kustomize.toolkit.fluxcd.io/namespace'] as const;
