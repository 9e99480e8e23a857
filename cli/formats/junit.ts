import builder from 'junit-report-builder';
import { Finding, formatFinding } from '../../pipeline/findings';
import { escapeText } from '../../policies/problem';
import { repositoryPath } from './paths';

export interface JunitRun {
  readonly version: string;
  /** Every file read, so that each gets its suite: a clean file is a passing test, not a missing one. */
  readonly inputs: readonly string[];
  /** Files are named relative to it. */
  readonly cwd: string;
}

/**
 * JUnit XML, as GitLab, Jenkins and Azure DevOps read it: one test suite per file, one test case
 * per finding, named by rule, key path and message (never the line, so a test keeps its name
 * when lines move). An error is a failing test case; a warning (a waived error too) is a passing
 * one with the finding as its system-out, because these systems count any failed test as a failed
 * or unstable build, and warnings do not fail this tool. A file without findings has one passing
 * test case, "no findings": Jenkins fails a build whose report holds no test at all.
 */
export function junit(findings: readonly Finding[], run: JunitRun): string {
  const report = builder.newBuilder().name(`velero-node-agent ${run.version}`);
  const byFile = new Map<string, Finding[]>();
  for (const file of run.inputs) byFile.set(file, []);
  for (const f of findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, []);
    byFile.get(f.file)!.push(f);
  }
  const named = [...byFile.keys()].map((file) => ({ file, name: escapeText(repositoryPath(file, run.cwd)) }));
  for (const { file, name } of named.sort((a, b) => a.name.localeCompare(b.name))) {
    // Jenkins splits a class name at its last dot into package and class: the extension would be the class.
    const className = name.replace(/\.(ya?ml|json)$/, '');
    const suite = report.testSuite().name(name);
    const own = byFile.get(file)!;
    if (own.length === 0) suite.testCase().className(className).name('no findings').file(name);
    for (const f of own) {
      const test = suite.testCase().className(className).name(escapeText(`${f.rule} ${f.path || '-'}: ${f.message}`)).file(name);
      if (f.severity === 'error') test.failure(escapeText(f.hint ? `${f.message} (${f.hint})` : f.message), f.rule).stacktrace(formatFinding(f));
      else test.standardOutput(formatFinding(f));
    }
  }
  return report.build();
}
