import { App, Chart } from 'cdk8s';
import { VeleroNodeAgent } from 'velero-node-agent-render';

/**
 * One OpenShift cluster's node-agent, as a cdk8s app renders it. Every policy of
 * velero-node-agent-render runs when the construct is created; `app.synth()` fails with the
 * findings (rule, key path, message, hint) before it writes a manifest.
 */
const app = new App();
const cluster = new Chart(app, 'openshift-east', { disableResourceNameHashes: true });

new VeleroNodeAgent(cluster, 'node-agent', {
  version: '1.18.1',
  platform: 'openshift',
  nodeAgent: { logFormat: 'json', resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } } },
  config: {
    loadConcurrency: { globalConfig: 2 },
    backupPVC: { 'ocs-storagecluster-ceph-rbd': { storageClass: 'ocs-storagecluster-ceph-rbd', readOnly: true, spcNoRelabeling: true } },
  },
  inventory: {
    storageClasses: [{ name: 'ocs-storagecluster-ceph-rbd', readOnlyFromSnapshot: true, reclaimPolicy: 'Delete' }],
  },
});

app.synth();
