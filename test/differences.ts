/** README "Where we differ from velero install": one test per row, in the table's order. */
export const DIFFERENCES = [
  'Linux node selector `kubernetes.io/os: linux`',
  'host-plugins mounted at its host path',
  '`imagePullPolicy` from whether the image is pinned',
  '`automountServiceAccountToken: true`',
  '`checksum/node-agent-config` pod annotation',
  'the node-agent ConfigMap is rendered',
  '`privilegedFsBackup: true` on OpenShift',
  'Argo CD and Flux annotations',
] as const;
