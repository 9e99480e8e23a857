import { Type } from '@sinclair/typebox';
import { EXPECTED, HINT, Strict } from '../../velero/schema';
import { DnsLabel, DnsSubdomain } from './keywords';

/** The schema of GitOpsSettings (policies/gitops.ts documents each field). */

/** A URL Argo CD and Flux both clone: http(s) or ssh, no spaces, no `{{` an ApplicationSet template would expand. */
const REPO_URL_PATTERN = '^(https?|ssh)://[^\\s{}]+$';
/** A folder inside the repository: relative, no `.` or `..` segment, no trailing `/`. */
const REPO_PATH_PATTERN = '^(?!.*(^|/)\\.{1,2}(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$';
/** Flux's duration grammar (kustomize-controller and source-controller CRDs). */
const FLUX_DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

const FluxDuration = Type.String({ pattern: FLUX_DURATION_PATTERN, [EXPECTED]: 'a duration such as "10m", "1h" or "90s"' });

const ArgoCd = Strict({
  project: Type.Optional(DnsSubdomain),
  namespace: Type.Optional(DnsLabel),
  destination: Type.Optional(
    Strict(
      {
        name: Type.Optional(Type.String({ pattern: '^[^\\s{}]+$', [EXPECTED]: 'an Argo CD cluster name' })),
        server: Type.Optional(Type.String({ pattern: '^https?://[^\\s{}]+$', [EXPECTED]: 'a cluster API server URL such as "https://10.0.0.1:6443"' })),
      },
      { minProperties: 1, maxProperties: 1, [EXPECTED]: 'either name: (the cluster as Argo CD names it) or server: (its API server URL)' },
    ),
  ),
  automated: Type.Optional(Type.Boolean()),
  applicationSet: Type.Optional(Type.Boolean()),
});

const Flux = Strict({
  namespace: Type.Optional(DnsLabel),
  interval: Type.Optional(FluxDuration),
  timeout: Type.Optional(FluxDuration),
  secretName: Type.Optional(DnsSubdomain),
});

export const GitOps = Strict(
  {
    repoURL: Type.String({
      pattern: REPO_URL_PATTERN,
      [EXPECTED]: 'a Git URL Argo CD and Flux can clone: https://... or ssh://git@host/path',
      [HINT]: 'write git@host:path as ssh://git@host/path',
    }),
    targetRevision: Type.String({ pattern: '^[^\\s{}]+$', [EXPECTED]: 'a branch, a ref such as "refs/tags/v3", or a commit SHA' }),
    path: Type.Optional(Type.String({ pattern: REPO_PATH_PATTERN, [EXPECTED]: 'a folder of the repository, relative to its root, such as "dist" or "fleet/dist"' })),
    cascadeDelete: Type.Optional(Type.Boolean()),
    argocd: Type.Optional(ArgoCd),
    flux: Type.Optional(Flux),
  },
  { [HINT]: 'see README "Argo CD and Flux"' },
);
