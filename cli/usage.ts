import { escapeText } from '../policies/problem';
import { NEWEST_RELEASE } from '../velero/releases';

/** What `velero-node-agent --help` prints; `npm run <command> --` runs the same commands. */
export const USAGE = `Usage: velero-node-agent [synth] [--environments DIR] [--output DIR] [--allow-empty]
       velero-node-agent check [--environments DIR] [--output DIR]
       velero-node-agent validate [--environments DIR] [--format text|json|sarif|junit|github]
       velero-node-agent lint-configmap FILE|- [--velero-version X.Y.Z] [--format text|json|sarif|junit|github]
       velero-node-agent diff BEFORE_DIR AFTER_DIR [--format markdown|json]
       velero-node-agent diff --base GIT_REF [--output DIR] [--environments DIR] [--format markdown|json]
       velero-node-agent plan --live FILE|- [--environment NAME] [--environments DIR] [--format text|json]
       velero-node-agent import FILE|- [--name NAME]
       velero-node-agent --help | --version

  synth           validate every environment, then render each into OUTPUT/<name>/ (all or none);
                  the default command
  check           render in memory and compare with OUTPUT/; exit 1 when it is stale, with a unified diff
  validate        every check synth runs; writes nothing
  lint-configmap  check a node-agent ConfigMap as Velero decodes it: kubectl get cm -o yaml|json
                  (one ConfigMap or a List), or the bare JSON value; - reads standard input
  diff            the review report of a change, as Markdown for a pull request (or JSON): per
                  environment the objects, ConfigMap keys and DaemonSet fields that change, whether
                  node-agent restarts, deletions, Velero upgrades; two rendered folders, or OUTPUT
                  committed at GIT_REF against the working tree's, with the new policy warnings
  plan            what the first sync of an environment changes on the node-agent running today,
                  field by field, and whether its pods restart: --live is kubectl get ds,cm -n velero
                  -o yaml|json; --environment may be left out when DIR holds one environment
  import          a starting environment file (stdout) from the same dump, and a warning (stderr)
                  for each live setting it does not model; --name sets its name

  --environments DIR     environment files (default: environments)
  --output DIR           rendered manifests (default: dist)
  --allow-empty          synth: let an empty environments folder empty OUTPUT (refused without it)
  --cdk8s-app            synth: run as cdk8s.yaml's app, also writing CDK8S_OUTDIR (set by cdk8s synth)
  --format FORMAT        validate, lint-configmap: the findings as
                           text    lines on stderr (default)
                           json    {"findings": [...], "waivers": [...], "skipped": [...]} on stdout
                           sarif   SARIF 2.1.0 on stdout, for GitHub code scanning
                           junit   JUnit XML on stdout, for GitLab, Jenkins, Azure DevOps
                           github  GitHub Actions annotations (::error file=...) on stdout
                         plan: text (default) or json, the plan as lines or one JSON object
  --velero-version X.Y.Z the Velero release the ConfigMap is for (default: ${NEWEST_RELEASE})
  --base GIT_REF         diff: compare with OUTPUT as committed at GIT_REF (a branch, tag or commit)
  --format markdown|json diff: the report as Markdown (default) or JSON

In this repository, npm run synth|check|validate|lint-configmap|diff|plan|import -- ARGS runs the same.
Exit codes: 0 success (warnings allowed; diff: the report is printed, whatever changed), 1 an error in
the input (an unusable dump too), a stale OUTPUT, or a tree diff cannot read, 2 wrong usage.`;

/** Wrong usage: the message (escaped) and the usage text on stderr; the exit code, 2. */
export function usageError(message: string): 2 {
  console.error(`error: ${escapeText(message)}\n\n${USAGE}`);
  return 2;
}

/** Whether `e` is node's parseArgs refusing the arguments (an unknown option, a missing value). */
export const isParseArgsError = (e: unknown): e is Error => (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
