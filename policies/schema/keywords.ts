import { Type } from '@sinclair/typebox';
import { EXPECTED } from '../../velero/schema';

/** Kubernetes value grammars, as schema types for the spec and the environment file. */

/** Kubernetes' resource.Quantity grammar (k8s.io/apimachinery/pkg/api/resource); policies/kube.ts bounds the exponent. */
const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';

/** A Kubernetes quantity; YAML numbers (`cpu: 1`) are accepted as Kubernetes accepts them. */
export const Quantity = Type.Unsafe<string | number>({
  type: ['string', 'number'],
  pattern: QUANTITY_PATTERN,
  [EXPECTED]: 'a Kubernetes quantity such as "500m", "1", "512Mi" or "2Gi"',
});

/** DNS-1123 label: namespaces, environment names. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
export const DnsLabel = Type.String({
  pattern: DNS_LABEL_PATTERN,
  [EXPECTED]: 'a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit',
});

/** DNS-1123 subdomain: ConfigMap, Secret, ServiceAccount, StorageClass and PriorityClass names. */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const DnsSubdomain = Type.String({
  pattern: DNS_SUBDOMAIN_PATTERN,
  maxLength: 253,
  [EXPECTED]: 'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
});

/** A Go duration (time.ParseDuration); policies/rules/server-flags.ts checks the value. */
export const GoDuration = Type.String({ minLength: 1, [EXPECTED]: 'a Go duration such as "45m", "1h30m" or "90s"' });
