import type { NodeAgentConfig } from '../velero/node-agent-config';
import type { PlatformName } from '../velero/platforms';

/**
 * What one node-agent installation is made of: the props of the `VeleroNodeAgent` construct,
 * and what an environment file becomes once its fragments are merged. Every check in policies/
 * reads this shape, so a finding's key path is a path in it. The schema that validates it is
 * policies/schema/spec.ts.
 */
export interface NodeAgentSpec {
  /** The Velero release the cluster runs, written in full (`1.18.1`). Decides the ConfigMap fields and the DaemonSet contract. */
  readonly version: string;
  /**
   * Where the cluster runs: decides the host paths and whether node-agent runs privileged.
   * @default 'kubernetes'
   */
  readonly platform?: PlatformName;
  /**
   * The kubelet's root folder on the nodes: both host paths move under it, as `velero install --kubelet-root-dir` does.
   * @default - the platform's
   */
  readonly kubeletRootDir?: string;
  /**
   * The Velero namespace: every object is rendered into it.
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * The node-agent image.
   * @default `velero/velero:v${version}`
   */
  readonly image?: string;
  /**
   * The service account `velero install` created (shared with the Velero server).
   * @default 'velero'
   */
  readonly serviceAccountName?: string;
  /**
   * Velero feature flags, passed as `--features=A,B`.
   * @default - none
   */
  readonly features?: readonly string[];
  /**
   * Name of the Secret with the cloud credentials, mounted at /credentials as `velero install` does.
   * @default - no credentials mounted
   */
  readonly credentialsSecret?: string;
  /**
   * Also render the Namespace, with Pod Security `privileged` labels.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * The DaemonSet's settings.
   * @default - what `velero install` renders for the release
   */
  readonly nodeAgent?: NodeAgentSettings;
  /**
   * The node-agent ConfigMap's content: exactly Velero's JSON.
   * @default - no ConfigMap, except `{privilegedFsBackup: true}` on the OpenShift platforms from Velero 1.17.1
   */
  readonly config?: NodeAgentConfig;
  /**
   * What the cluster has, for the checks that compare the config against it.
   * @default - none: those checks are skipped, and each run says which
   */
  readonly inventory?: Inventory;
  /**
   * Rules whose errors this installation accepts, each with a reason.
   * @default - none
   */
  readonly policyExceptions?: readonly PolicyException[];
}

/** The node-agent DaemonSet beyond what `velero install` renders. */
export interface NodeAgentSettings {
  /**
   * Run the container privileged.
   * @default - what the platform needs: true on openshift, openshift-ibm-cloud and tkgi
   */
  readonly privileged?: boolean;
  /**
   * Name of the node-agent ConfigMap, passed as `--node-agent-configmap` (Velero 1.15+; before, it must be `node-agent-config`).
   * @default 'node-agent-config'
   */
  readonly configMapName?: string;
  /**
   * Container resources.
   * @default - none (BestEffort), as `velero install` renders from 1.14; on 1.13 its 500m/512Mi requests and 1000m/1Gi limits
   */
  readonly resources?: ResourceRequirements;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /**
   * Node labels the pods are scheduled on.
   * @default - none (node-agent is kept off Windows nodes regardless)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly priorityClassName?: string;
  /**
   * Extra pod labels; Velero's own (`component`, `name`, and `role` from 1.16) cannot be changed.
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * `--log-level`; data-mover pods inherit it.
   * @default - node-agent's own (info)
   */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic';
  /**
   * `--log-format`.
   * @default - node-agent's own (text)
   */
  readonly logFormat?: 'text' | 'json';
  /**
   * A read-only root filesystem, with writable emptyDirs where the uploader writes.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * `--backup-repository-configmap=<name>` (Velero 1.18.0+).
   * @default - none
   */
  readonly backupRepositoryConfigMap?: string;
  /**
   * `--data-mover-prepare-timeout`, a Go duration such as `45m` or `1h30m`.
   * @default - node-agent's own (30m)
   */
  readonly dataMoverPrepareTimeout?: string;
  /**
   * `--resource-timeout`, a Go duration.
   * @default - node-agent's own (10m)
   */
  readonly resourceTimeout?: string;
  /**
   * Data-mover-only mode (Velero 1.17+, `--node-agent-disable-host-path`): no hostPath volumes, so no
   * file-system backup and no privilege needed.
   * @default false
   */
  readonly disableHostPath?: boolean;
  /**
   * Also render the `node-agent-windows` DaemonSet for Windows nodes (Velero 1.16+, `--use-node-agent-windows`).
   * @default false
   */
  readonly windows?: boolean;
  /**
   * Secrets to pull the image with; data-mover pods copy them.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Extra environment variables (proxy settings are the usual ask); data-mover pods copy them.
   * @default - none
   */
  readonly env?: readonly EnvVar[];
}

export interface ResourceRequirements {
  /** @default - none */
  readonly requests?: Readonly<Record<string, string | number>>;
  /** @default - none */
  readonly limits?: Readonly<Record<string, string | number>>;
}

/** A Kubernetes toleration, as in a pod spec. */
export interface Toleration {
  /** @default - every taint key (with operator Exists) */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Exists' | 'Equal';
  /** @default '' */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** @default - forever */
  readonly tolerationSeconds?: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

/** What the cluster has: the checks that compare the config against it run only when it is given. */
export interface Inventory {
  /** @default - unknown: StorageClass checks are skipped */
  readonly storageClasses?: readonly StorageClassInfo[];
  /** @default - unknown: PriorityClass checks are skipped */
  readonly priorityClasses?: readonly string[];
}

export interface StorageClassInfo {
  readonly name: string;
  /**
   * Whether the storage can create a ReadOnlyMany volume from a snapshot (backupPVC `readOnly: true`).
   * @default - unknown
   */
  readonly readOnlyFromSnapshot?: boolean;
  /** @default - unknown */
  readonly volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /** @default - unknown */
  readonly reclaimPolicy?: 'Delete' | 'Retain';
}

/** Accept a rule's errors as warnings, with a reason reviewers can read. */
export interface PolicyException {
  readonly rule: string;
  readonly reason: string;
}
