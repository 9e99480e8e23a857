import * as fs from 'fs';
import * as path from 'path';
import { hasErrors } from '../policies/problem';
import { compareTree, diffTree } from '../pipeline/output/compare';
import { OutputError } from '../pipeline/output/error';
import { lockOutput } from '../pipeline/output/lock';
import { checkOutputPath } from '../pipeline/output/path';
import { createStaging, discardStaging, recoverOutput, replaceTrees } from '../pipeline/output/swap';
import { outputFolders, synthesize, SynthResult } from '../pipeline/synth';
import type { Options } from './options';
import { count, report, summary } from './report';

/**
 * synth and check: the output folder (and under cdk8s its mirror) checked, locked and
 * recovered from an interrupted run before anything is rendered, read or written.
 */
export function withOutput(options: Options, mirror: string | undefined): number {
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
  const result = synthesize(options.environments, options.output);
  const { findings, waivers, skipped, rendered } = result;
  report({ findings, waivers, skipped }, 'text');
  if (hasErrors(findings)) {
    console.error(summary(findings, `nothing checked, ${options.output} left as it was.`));
    return 1;
  }
  const differences = compareTree(options.output, outputFolders(result));
  if (differences.length === 0) {
    console.log(`${options.output} is up to date with ${options.environments} (${rendered.length} environment${rendered.length === 1 ? '' : 's'}).`);
    return 0;
  }
  console.log(diffTree(options.output, outputFolders(result)));
  console.error(`${differences.join('\n')}\n\n${options.output} is stale: run \`npm run synth\` and commit the result (the diff above is what it would change).`);
  return 1;
}

/**
 * Renders into every folder (the output, and under cdk8s its mirror), all or nothing. The
 * environments are written into the output's staging folder while they render; nothing reaches
 * the output folder itself unless everything is valid.
 */
function synth(options: Options, folders: readonly string[]): number {
  const staging = createStaging(options.output);
  let result: SynthResult;
  try {
    result = synthesize(options.environments, options.output, { staging });
  } catch (e) {
    discardStaging(staging);
    throw e;
  }
  const { findings, waivers, skipped, rendered, wiring } = result;
  report({ findings, waivers, skipped }, 'text');
  if (hasErrors(findings)) {
    discardStaging(staging);
    // `cdk8s synth --output dist` deletes dist itself before the app runs.
    const deleted = options.cdk8sApp && folders.length === 1 && !fs.existsSync(options.output);
    const outcome = deleted
      ? `cdk8s synth deleted ${options.output} before running the app (its --output is that folder); nothing was rendered; ` +
        `restore the committed tree with \`git checkout -- ${options.output}\`.`
      : `nothing written, ${options.output} left as it was.`;
    console.error(summary(findings, outcome));
    return 1;
  }
  const written = new Set(rendered.map(({ name }) => name));
  replaceTrees(
    folders.map((outDir, i) => ({ outDir, rendered: outputFolders(result), staged: i === 0 ? { folder: staging, written } : undefined })),
    { allowEmpty: options.allowEmpty },
  );
  for (const { name, files } of rendered) console.log(`${path.join(options.output, name)}/  ${files.size} files`);
  if (wiring) console.log(`${path.join(options.output, wiring.name)}/  ${wiring.files.size} files (Argo CD and Flux wiring)`);
  const into = `${options.output.replace(/\/+$/, '')}/`;
  console.log(`Rendered ${rendered.length} environment${rendered.length === 1 ? '' : 's'} into ${into}${findings.length ? ` with ${count(findings, 'warning')}` : ''}.`);
  return 0;
}

