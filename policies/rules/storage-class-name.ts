import { dnsSubdomainProblem } from '../kube';
import { Rule } from './rule';
import { storageClassReferences } from './storage-class-exists';

export const storageClassName: Rule = {
  id: 'storage-class-name',
  severity: 'error',
  summary:
    'A StorageClass name (backupPVC keys and targets, loadAffinity, cachePVC, storageClasses) that is not a DNS-1123 subdomain: no cluster can have such a class, so the setting never applies (Velero\'s own backupPVC doc uses backupPVC-storage-class).',
  check: ({ spec }) => [
    ...storageClassReferences(spec),
    ...(spec.inventory?.storageClasses ?? []).map((sc, i) => ({ path: ['inventory', 'storageClasses', i, 'name'], name: sc?.name, atKey: false })),
  ].flatMap(({ path, name, atKey }) => {
    if (typeof name !== 'string') return [];
    const problem = dnsSubdomainProblem(name);
    return problem
      ? [{ path, atKey, message: `"${name}" cannot be a StorageClass name: ${problem}`, hint: 'StorageClass names are DNS-1123 subdomains; use the name `kubectl get storageclass` prints' }]
      : [];
  }),
};
