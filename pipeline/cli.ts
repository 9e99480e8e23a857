import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { escapeText, hasErrors } from '../policies/problem';
import { contractRelease, NEWEST_RELEASE, RELEASES_TEXT } from '../velero/releases';
import { Finding, formatFinding } from './findings';
import { Input, InputError, readInput } from './input';
import { lintConfigMap } from './lint-configmap';
import { SourceFile } from './source';
import { Skipped, synthesize, Waiver } from './synth';
import { compareTree, diffTree } from './output/compare';
import { OutputError } from './output/error';
import { lockOutput } from './output/lock';
import { checkOutputPath } from './output/path';
import { recoverOutput, replaceTrees } from './output/swap';

const USAGE = `Usage: npm run synth -- [--environments DIR] [--output DIR] [--allow-empty]
       npm run check -- [--environments DIR] [--output DIR]
       npm run validate -- [--environments DIR] [--format text|json]
       npm run lint-configmap -- FILE|- [--velero-version X.Y.Z] [--format text|json]

  synth           validate every environment, then render each into OUTPUT/<name>/ (all or none)
  check           render in memory and compare with OUTPUT/; exit 1 when it is stale, with a unified diff
  validate        every check synth runs; writes nothing
  lint-configmap  check a node-agent ConfigMap as Velero decodes it: kubectl get cm -o yaml|json
                  (one ConfigMap or a List), or the bare JSON value; - reads standard input

  --environments DIR     environment files (default: environments)
  --output DIR           rendered manifests (default: dist)
  --allow-empty          synth: let an empty environments folder empty OUTPUT (refused without it)
  --cdk8s-app            synth: run as cdk8s.yaml's app, also writing CDK8S_OUTDIR (set by cdk8s synth)
  --format text|json     findings as lines (default) or {"findings": [...], "waivers": [...]}
  --velero-version X.Y.Z the Velero release the ConfigMap is for (default: ${NEWEST_RELEASE})

Exit codes: 0 success (warnings allowed), 1 an error in the input or a stale OUTPUT, 2 wrong usage.`;

const COMMANDS = ['synth', 'check', 'validate', 'lint-configmap'] as const;
type Command = (typeof COMMANDS)[number];

interface Options {
  readonly command: Command;
  readonly environments: string;
  readonly output: string;
  readonly format: 'text' | 'json';
  readonly veleroVersion: string;
  readonly allowEmpty: boolean;
  readonly cdk8sApp: boolean;
  readonly file?: string;
}

class UsageError extends Error {}

function parse(argv: readonly string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      environments: { type: 'string', default: 'environments' },
      output: { type: 'string', default: 'dist' },
      format: { type: 'string', default: 'text' },
      'velero-version': { type: 'string', default: NEWEST_RELEASE },
      'allow-empty': { type: 'boolean', default: false },
      'cdk8s-app': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const [command = 'synth', ...rest] = positionals;
  if (!COMMANDS.includes(command as Command)) throw new UsageError(`unknown command "${command}"`);
  const wantsFile = command === 'lint-configmap';
  if (wantsFile ? rest.length !== 1 : rest.length > 0) {
    throw new UsageError(wantsFile ? 'lint-configmap takes one FILE' : `unexpected argument "${rest[0]}"`);
  }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format is text or json, not "${values.format}"`);
  if (values.output === '') throw new UsageError('--output is empty: name a folder, such as dist');
  for (const flag of ['allow-empty', 'cdk8s-app'] as const) {
    if (values[flag] && command !== 'synth') throw new UsageError(`--${flag} is for synth only`);
  }
  const veleroVersion = values['velero-version']!;
  if (!contractRelease(veleroVersion)) {
    throw new UsageError(`--velero-version ${veleroVersion}: expected a Velero release from ${RELEASES_TEXT}, such as ${NEWEST_RELEASE}`);
  }
  return {
    command: command as Command,
    environments: values.environments!,
    output: values.output!,
    format: values.format,
    veleroVersion,
    allowEmpty: values['allow-empty']!,
    cdk8sApp: values['cdk8s-app']!,
    file: wantsFile ? rest[0] : undefined,
  };
}

/** Runs one command; returns the exit code (0 success, 1 invalid input or stale output, 2 usage). */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let options: Options | 'help';
  try {
    options = parse(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.command === 'lint-configmap') return lint(options);

  if (!fs.existsSync(options.environments) || !fs.statSync(options.environments).isDirectory()) {
    console.error(`error: environments folder ${options.environments} not found (set it with --environments DIR)`);
    return 2;
  }
  if (options.command === 'validate') {
    const { findings, waivers, skipped } = synthesize(options.environments, options.output);
    report(findings, waivers, options.format, skipped);
    if (options.format === 'text') console.error(summary(findings, 'validated, nothing written.'));
    return hasErrors(findings) ? 1 : 0;
  }
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

/**
 * synth and check: the output folder (and under cdk8s its mirror) checked, locked and
 * recovered from an interrupted run before anything is rendered, read or written.
 */
function withOutput(options: Options, mirror: string | undefined): number {
  const folders = mirror === undefined ? [options.output] : [options.output, mirror];
  const releases: (() => void)[] = [];
  try {
    folders.forEach(checkOutputPath);
    for (const folder of folders) {
      releases.unshift(lockOutput(folder));
      const recovered = recoverOutput(folder);
      if (recovered) console.error(`note: ${recovered}`);
    }
    return options.command === 'check' ? check(options) : synth(options, folders);
  } catch (e) {
    if (!(e instanceof OutputError) && !(e as NodeJS.ErrnoException).code) throw e;
    console.error(`error: ${(e as Error).message}`);
    return 1;
  } finally {
    releases.forEach((release) => release());
  }
}

function check(options: Options): number {
  const { findings, waivers, skipped, rendered } = synthesize(options.environments, options.output);
  report(findings, waivers, 'text', skipped);
  if (hasErrors(findings)) {
    console.error(summary(findings, `nothing checked, ${options.output} left as it was.`));
    return 1;
  }
  const differences = compareTree(options.output, rendered);
  if (differences.length === 0) {
    console.log(`${options.output} is up to date with ${options.environments} (${rendered.length} environments).`);
    return 0;
  }
  console.log(diffTree(options.output, rendered));
  console.error(`${differences.join('\n')}\n\n${options.output} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`);
  return 1;
}

/** Renders into every folder (the output, and under cdk8s its mirror), all or nothing. */
function synth(options: Options, folders: readonly string[]): number {
  const { findings, waivers, skipped, rendered } = synthesize(options.environments, options.output);
  report(findings, waivers, 'text', skipped);
  if (hasErrors(findings)) {
    // `cdk8s synth --output dist` deletes dist itself before the app runs.
    const deleted = options.cdk8sApp && folders.length === 1 && !fs.existsSync(options.output);
    const outcome = deleted
      ? `cdk8s synth deleted ${options.output} before running the app (its --output is that folder); nothing was rendered; ` +
        `restore the committed tree with \`git checkout -- ${options.output}\`.`
      : `nothing written, ${options.output} left as it was.`;
    console.error(summary(findings, outcome));
    return 1;
  }
  replaceTrees(folders.map((outDir) => ({ outDir, rendered })), { allowEmpty: options.allowEmpty });
  for (const { name, files } of rendered) console.log(`${path.join(options.output, name)}/  ${files.size} files`);
  console.log(`Rendered ${rendered.length} environments into ${options.output}/${findings.length ? ` with ${count(findings, 'warning')}` : ''}.`);
  return 0;
}

function lint(options: Options): number {
  let input: Input;
  try {
    input = readInput(options.file!);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const findings = 'text' in input ? lintConfigMap(new SourceFile(input.file, input.text), options.veleroVersion) : input.findings;
  report(findings, [], options.format);
  if (options.format === 'text') {
    console.error(summary(findings, `${input.file} checked against Velero ${options.veleroVersion}.`));
  }
  return hasErrors(findings) ? 1 : 0;
}

/**
 * Findings grouped by file (a blank line between files), then the waivers in force and the checks
 * that could not run; all on stderr, or JSON on stdout.
 */
function report(findings: readonly Finding[], waivers: readonly Waiver[], format: 'text' | 'json', skipped: readonly Skipped[] = []): void {
  if (format === 'json') {
    const json = ({ file, line, column, path, rule, severity, message, hint }: Finding) =>
      ({ file, line, column, path, rule, severity, message, hint: hint ?? null });
    console.log(JSON.stringify({ findings: findings.map(json), waivers, skipped }, null, 2));
    return;
  }
  findings.forEach((f, i) => {
    if (i > 0 && findings[i - 1].file !== f.file) console.error('');
    console.error(formatFinding(f));
  });
  if (waivers.length) {
    console.error(`${findings.length ? '\n' : ''}Waivers in force:`);
    for (const w of waivers) console.error(escapeText(`${w.file}:${w.line}:${w.column}  waiver  ${w.rule}  ${w.environment}  ${w.reason}`));
  }
  if (skipped.length) {
    console.error(`${findings.length || waivers.length ? '\n' : ''}Not checked, for want of an inventory:`);
    for (const s of skipped) console.error(escapeText(`${s.environment}: ${s.rules.join(', ')} (add ${s.needs.join(' and ')} to check them)`));
  }
}

function summary(findings: readonly Finding[], outcome: string): string {
  return `${findings.length ? '\n' : ''}${count(findings, 'error')}, ${count(findings, 'warning')}; ${outcome}`;
}

function count(findings: readonly Finding[], severity: Finding['severity']): string {
  const n = findings.filter((f) => f.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
}
