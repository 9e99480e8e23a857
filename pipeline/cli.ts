import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Finding, formatFinding } from './findings';
import { synthesize } from './synth';
import { assertOwned, compareTree, OutputError, writeTree } from './write';

const USAGE = `Usage: npm run synth -- [--environments DIR] [--output DIR]
       npm run check -- [--environments DIR] [--output DIR]

  synth   validate every environment, then render each into OUTPUT/<name>/ (all or none)
  check   render in memory and compare with OUTPUT/; exit 1 when it is stale

  --environments DIR   environment files (default: environments)
  --output DIR         rendered manifests (default: dist)`;

/** Exit codes: 0 success, 1 invalid input or stale output, 2 wrong usage. */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let options: { command: string; environments: string; output: string };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        environments: { type: 'string', default: 'environments' },
        output: { type: 'string', default: 'dist' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const command = positionals[0] ?? 'synth';
    if (positionals.length > 1 || !['synth', 'check'].includes(command)) throw new Error(`unknown command "${positionals.join(' ')}"`);
    options = { command, environments: values.environments!, output: values.output! };
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }

  if (!fs.existsSync(options.environments) || !fs.statSync(options.environments).isDirectory()) {
    console.error(`error: environments folder ${options.environments} not found (set it with --environments DIR)`);
    return 2;
  }

  const { findings, rendered } = synthesize(options.environments);
  report(findings);
  if (findings.some((f) => f.severity === 'error')) {
    const verb = options.command === 'check' ? 'checked' : 'written';
    console.error(`\n${count(findings, 'error')}, ${count(findings, 'warning')}; nothing ${verb}, ${options.output} left as it was.`);
    return 1;
  }

  if (options.command === 'check') {
    const differences = compareTree(options.output, rendered);
    if (differences.length === 0) {
      console.log(`${options.output} is up to date with ${options.environments} (${rendered.length} environments).`);
      return 0;
    }
    console.error(differences.join('\n'));
    console.error(`\n${options.output} is stale: run \`npm run synth\` and commit the result.`);
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

function report(findings: readonly Finding[]): void {
  for (const f of findings) console.error(formatFinding(f));
}

function count(findings: readonly Finding[], severity: Finding['severity']): string {
  const n = findings.filter((f) => f.severity === severity).length;
  return `${n} ${severity}${n === 1 ? '' : 's'}`;
}
