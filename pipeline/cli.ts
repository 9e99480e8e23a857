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
import { assertOwned, compareTree, diffTree, OutputError, writeTree } from './write';

const USAGE = `Usage: npm run synth -- [--environments DIR] [--output DIR]
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
  const { findings, waivers, skipped, rendered } = synthesize(options.environments, options.output);

  if (options.command === 'validate') {
    report(findings, waivers, options.format, skipped);
    if (options.format === 'text') console.error(summary(findings, 'validated, nothing written.'));
    return hasErrors(findings) ? 1 : 0;
  }
  report(findings, waivers, 'text', skipped);
  if (hasErrors(findings)) {
    console.error(summary(findings, `nothing ${options.command === 'check' ? 'checked' : 'written'}, ${options.output} left as it was.`));
    return 1;
  }

  if (options.command === 'check') {
    const differences = compareTree(options.output, rendered);
    if (differences.length === 0) {
      console.log(`${options.output} is up to date with ${options.environments} (${rendered.length} environments).`);
      return 0;
    }
    console.log(diffTree(options.output, rendered));
    console.error(`${differences.join('\n')}\n\n${options.output} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`);
    return 1;
  }

  try {
    // Under `cdk8s synth`, cdk8s lists (and runs its validation plugins on) its own output folder.
    const cdk8sOut = env.CDK8S_OUTDIR && path.resolve(env.CDK8S_OUTDIR) !== path.resolve(options.output) ? env.CDK8S_OUTDIR : undefined;
    if (cdk8sOut) assertOwned(cdk8sOut);
    writeTree(options.output, rendered);
    if (cdk8sOut) writeTree(cdk8sOut, rendered);
  } catch (e) {
    if (!(e instanceof OutputError) && !(e as NodeJS.ErrnoException).code) throw e;
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
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
