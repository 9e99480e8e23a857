import { hasErrors } from '../policies/problem';
import { Input, InputError, readInput } from '../pipeline/input';
import { lintConfigMap } from '../pipeline/lint-configmap';
import { SourceFile } from '../pipeline/source';
import type { Options } from './options';
import { report, summary } from './report';

/** lint-configmap FILE|-: a node-agent ConfigMap checked as Velero decodes it. */
export function lint(options: Options): number {
  let input: Input;
  try {
    input = readInput(options.file!);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const findings = 'text' in input ? lintConfigMap(new SourceFile(input.file, input.text), options.veleroVersion) : input.findings;
  report({ findings, inputs: [input.file] }, options.format);
  if (options.format !== 'json') {
    console.error(summary(findings, `${input.file} checked against Velero ${options.veleroVersion}.`, options.format === 'text' && findings.length > 0));
  }
  return hasErrors(findings) ? 1 : 0;
}
