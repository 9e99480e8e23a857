import { NEWEST_RELEASE } from '../velero/releases';

/** What `velero-node-agent --help` prints; `npm run <command> --` runs the same commands. */
export const USAGE = `Usage: velero-node-agent [synth] [--environments DIR] [--output DIR] [--allow-empty]
       velero-node-agent check [--environments DIR] [--output DIR]
       velero-node-agent validate [--environments DIR] [--format text|json]
       velero-node-agent lint-configmap FILE|- [--velero-version X.Y.Z] [--format text|json]
       velero-node-agent plan --live FILE|- [--environment NAME] [--environments DIR] [--format text|json]
       velero-node-agent import FILE|- [--name NAME]
       velero-node-agent --help | --version

  synth           validate every environment, then render each into OUTPUT/<name>/ (all or none);
                  the default command
  check           render in memory and compare with OUTPUT/; exit 1 when it is stale, with a unified diff
  validate        every check synth runs; writes nothing
  lint-configmap  check a node-agent ConfigMap as Velero decodes it: kubectl get cm -o yaml|json
                  (one ConfigMap or a List), or the bare JSON value; - reads standard input
  plan            what the first sync of an environment changes on the node-agent running today,
                  field by field, and whether its pods restart: --live is kubectl get ds,cm -n velero
                  -o yaml|json; --environment may be left out when DIR holds one environment
  import          a starting environment file (stdout) from the same dump, and a warning (stderr)
                  for each live setting it does not model; --name sets its name:

  --environments DIR     environment files (default: environments)
  --output DIR           rendered manifests (default: dist)
  --allow-empty          synth: let an empty environments folder empty OUTPUT (refused without it)
  --cdk8s-app            synth: run as cdk8s.yaml's app, also writing CDK8S_OUTDIR (set by cdk8s synth)
  --format text|json     findings as lines (default) or {"findings": [...], "waivers": [...], "skipped": [...]};
                         plan: the plan as lines (default) or one JSON object
  --velero-version X.Y.Z the Velero release the ConfigMap is for (default: ${NEWEST_RELEASE})

In this repository, npm run synth|check|validate|lint-configmap|plan|import -- ARGS runs the same.
Exit codes: 0 success (warnings allowed), 1 an error in the input (an unusable dump too) or a stale OUTPUT, 2 wrong usage.`;
