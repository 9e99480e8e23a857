/**
 * velero-node-agent-render as a library: the VeleroNodeAgent construct for cdk8s apps, the Argo
 * CD and Flux constructs that deliver it, the manifest checks as a cdk8s validation plugin, and
 * the facts it renders against.
 *
 * ```ts
 * new VeleroNodeAgent(chart, 'node-agent', { version: '1.18.1', platform: 'openshift', config });
 * ```
 */
export { VeleroNodeAgent, type VeleroNodeAgentProps } from './constructs/velero-node-agent';
export { NodeAgentConfigMap, type NodeAgentConfigMapProps } from './constructs/node-agent-configmap';
export { NodeAgentDaemonSet, type NodeAgentDaemonSetProps } from './constructs/node-agent-daemonset';
export { BEFORE_NODE_AGENT, NEVER_DELETED } from './constructs/delivery';
export { ArgoCdApplication, type ArgoCdApplicationProps, type ArgoCdDestination, type ArgoCdSyncProps, CASCADE_FINALIZER } from './constructs/gitops/argocd-application';
export { ArgoCdApplicationSet, type ArgoCdApplicationSetProps } from './constructs/gitops/argocd-application-set';
export { FluxSync, type FluxSyncProps, type HealthCheck } from './constructs/gitops/flux-sync';
export type { GitFolder } from './constructs/gitops/source';
export type { ArgoCdSettings, FluxSettings, GitOpsSettings } from './policies/gitops';
export type {
  EnvVar, Inventory, NodeAgentSettings, NodeAgentSpec, PolicyException, ResourceRequirements, StorageClassInfo, Toleration,
} from './policies/spec';
export type { AppliedWaiver, SkippedRule, SpecCheck } from './policies/check';
export { checkSpec } from './policies/check';
export type { KeyPath, Problem, Severity } from './policies/problem';
export { RULES } from './policies/rules';
export type { Rule } from './policies/rules/rule';
export { NodeAgentManifestValidation, type NodeAgentManifestValidationProperties } from './plugin/manifest-validation';
export type { LabelSelector, NodeAgentConfig } from './velero/node-agent-config';
export { type InstallContract, installContract } from './velero/daemonset';
export { PLATFORM_NAMES, PLATFORMS, type PlatformName, type PlatformProfile, resolvePlatform } from './velero/platforms';
export { NEWEST_RELEASE, type Release, RELEASES } from './velero/releases';
