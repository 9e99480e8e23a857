import * as fs from 'fs';
import * as path from 'path';
import { hasErrors } from '../policies/problem';
import { synthesize } from '../pipeline/synth';
import { Options, parse, UsageError } from './options';
import { withOutput } from './render';
import { report, summary } from './report';
import { USAGE } from './usage';
import { packageVersion } from './version';

/**
 * Commands that parse their own arguments (everything after the command name), by name. The
 * commands of cli/options.ts (synth, check, validate, lint-configmap) share one parser. Each is
 * loaded when it runs: a synth need not compile the review report or the live plan.
 */
export const OWN_ARGUMENTS: Readonly<Record<string, (argv: readonly string[], env: NodeJS.ProcessEnv) => number>> = {
  diff: (argv) => (require('./diff') as typeof import('./diff')).diff(argv),
  plan: (argv) => (require('./plan') as typeof import('./plan')).plan(argv),
  import: (argv) => (require('./import') as typeof import('./import')).importCommand(argv),
};

/**
 * The command line: `velero-node-agent`, `npm run <command>` and cdk8s.yaml's app all run this.
 * Returns the exit code (0 success, 1 invalid input or stale output, 2 wrong usage).
 */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const own = argv.length && Object.prototype.hasOwnProperty.call(OWN_ARGUMENTS, argv[0]) ? OWN_ARGUMENTS[argv[0]] : undefined;
  if (own) return own(argv.slice(1), env);
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError) && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') !== true) throw e;
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options === 'version') {
    console.log(packageVersion());
    return 0;
  }
  if (options.command === 'lint-configmap') return (require('./lint-configmap') as typeof import('./lint-configmap')).lint(options);

  if (!fs.existsSync(options.environments) || !fs.statSync(options.environments).isDirectory()) {
    console.error(`error: environments folder ${options.environments} not found (set it with --environments DIR)`);
    return 2;
  }
  if (options.command === 'validate') return validate(options);
  if (!options.cdk8sApp) return withOutput(options, undefined);

  // cdk8s synth deletes CDK8S_OUTDIR, runs the app, and prints a stack trace of its own when
  // the app exits non-zero, but a clean "synthesis failed, app expected to create ..." and exit
  // 1 when it exits 0 without creating the folder: our own messages are printed already, so a
  // failed run takes that clean path. Where the folder exists anyway, the exit code stays.
  const cdk8sOut = env.CDK8S_OUTDIR;
  if (!cdk8sOut) {
    console.error(`error: --cdk8s-app is for cdk8s.yaml's app, run by cdk8s synth, which sets CDK8S_OUTDIR; it is not set\n\n${USAGE}`);
    return 2;
  }
  const code = withOutput(options, path.resolve(cdk8sOut) === path.resolve(options.output) ? undefined : cdk8sOut);
  return code !== 0 && !fs.existsSync(cdk8sOut) ? 0 : code;
}

/** Every check synth runs; writes nothing. */
function validate(options: Options): number {
  const { findings, waivers, skipped, inputs } = synthesize(options.environments, options.output);
  report({ findings, waivers, skipped, inputs }, options.format);
  // Only JSON keeps stderr empty; the other formats end with the summary there, below the waivers and skipped checks.
  const blankLine = options.format === 'text' ? findings.length > 0 : waivers.length > 0 || skipped.length > 0;
  if (options.format !== 'json') console.error(summary(findings, 'validated, nothing written.', blankLine));
  return hasErrors(findings) ? 1 : 0;
}
