/**
 * The CI formats of validate and lint-configmap (cli/formats/): each on a literal set of findings
 * with its exact output, then through the command line on the fixtures of test/fixtures/ci/.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import * as ts from 'typescript';
import { githubAnnotations } from '../cli/formats/github';
import { junit } from '../cli/formats/junit';
import { repositoryPath } from '../cli/formats/paths';
import { FINGERPRINT_KEY, SARIF_SCHEMA, sarif } from '../cli/formats/sarif';
import { Finding, SHOWN_PER_RULE } from '../pipeline/findings';
import { CHECKS } from '../policies/checks';
import { RULES } from '../policies/rules';
import { cli, tmp } from './helpers';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join('test', 'fixtures', 'ci');
const INVALID = path.join(FIXTURES, 'invalid');
const FLEET = path.join('test', 'fixtures', 'fleet');
const CONFIGMAP = path.join(FIXTURES, 'configmap.yaml');
const ALL_RULES = [...RULES, ...CHECKS];
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

const CWD = '/home/ci/fleet';
/** An error, a warning, a waived error, one with no key path, a key with a newline, % and , in a message, a Windows path. */
const FINDINGS: Finding[] = [
  { file: 'environments/prod.yaml', line: 4, column: 3, path: 'velero.namespce', rule: 'schema', severity: 'error', message: 'unknown key "namespce"', hint: 'did you mean "namespace"?' },
  { file: 'environments/prod.yaml', line: 9, column: 24, path: 'config.backupPVC.gp3.spcNoRelabeling', rule: 'spc-no-relabeling-without-read-only', severity: 'warning', message: 'spcNoRelabeling has no effect unless readOnly is true', hint: 'set readOnly: true, or remove spcNoRelabeling' },
  { file: 'environments/prod.yaml', line: 12, column: 19, path: 'config.loadConcurrency.globalConfig', rule: 'load-concurrency-minimum', severity: 'warning', message: 'globalConfig is 0: Velero uses 1 instead', hint: 'waived: lab cluster, testing the default', waiver: 'lab cluster, testing the default' },
  { file: `${CWD}/environments/broken.yaml`, line: 3, column: 1, path: '', rule: 'yaml-syntax', severity: 'error', message: 'Implicit map keys need to be followed by map values', hint: 'fix the YAML syntax; nothing was rendered' },
  { file: 'environments/labels.yaml', line: 6, column: 5, path: 'nodeAgent.podLabels["team\n::error::forged"]', rule: 'labels-and-annotations', severity: 'error', message: 'label key "team\n::error::forged" is not valid' },
  { file: 'environments\\windows.yaml', line: 7, column: 20, path: 'config.podResources.cpuRequest', rule: 'pod-resources', severity: 'error', message: 'cpuRequest "100%" is not a quantity, so Velero ignores podResources', hint: 'write 100m, 1 or 2' },
];

describe('repositoryPath: what CI systems call a file', () => {
  test.each([
    ['environments/prod.yaml', '/home/ci/fleet', 'environments/prod.yaml'],
    ['/home/ci/fleet/environments/prod.yaml', '/home/ci/fleet', 'environments/prod.yaml'],
    ['/tmp/envs/prod.yaml', '/home/ci/fleet', '/tmp/envs/prod.yaml'],
    ['/home/ci/fleet-2/prod.yaml', '/home/ci/fleet', '/home/ci/fleet-2/prod.yaml'],
    ['environments\\prod.yaml', '/home/ci/fleet', 'environments/prod.yaml'],
    ['C:\\ci\\fleet\\environments\\prod.yaml', 'C:\\ci\\fleet', 'environments/prod.yaml'],
    ['D:\\other\\prod.yaml', 'C:\\ci\\fleet', 'D:/other/prod.yaml'],
    ['<stdin>', '/home/ci/fleet', '<stdin>'],
  ])('%s in %s is %s', (file, cwd, expected) => {
    expect(repositoryPath(file, cwd)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// SARIF

/** The SARIF 2.1.0 schema that @microsoft/jest-sarif ships (see validSarif). */
const SARIF_SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * A validator of SARIF 2.1.0 logs. No maintained npm package ships the final OASIS schema
 * (errata01) as a file; @microsoft/jest-sarif ships its last release candidate, rtm.5, which
 * differs from the final one only in stating `type: string` beside enums, allowing `runs: null`,
 * requiring a region to have startLine, charOffset or byteOffset (asserted below on every result),
 * and in a pattern for `language` that the final schema corrects (the one regular expression that
 * needs `unicodeRegExp: false`; we write no `language`).
 */
function validSarif(): (log: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')));
  return (log) => {
    if (validate(log)) return [];
    return validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
  };
}
const sarifErrors = validSarif();

/** A SARIF log, checked against the schema and the region rule of its errata. */
function parseSarif(text: string) {
  const log = JSON.parse(text);
  expect(sarifErrors(log)).toEqual([]);
  for (const result of log.runs[0].results) expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
  return log;
}

const FINGERPRINT = /^[0-9a-f]{64}:1$/;

describe('sarif', () => {
  const log = parseSarif(sarif(FINDINGS, { version: '1.2.3', rules: ALL_RULES, cwd: CWD }));
  const results = log.runs[0].results;
  const ruleIndex = (id: string) => ALL_RULES.findIndex((r) => r.id === id);
  const location = (uri: string, startLine: number, startColumn: number, keyPath?: string) => ({
    physicalLocation: { artifactLocation: { uri }, region: { startLine, startColumn } },
    ...(keyPath && { logicalLocations: [{ fullyQualifiedName: keyPath }] }),
  });

  test('one run of velero-node-agent with its version, every rule, and one result per finding', () => {
    expect(Object.keys(log)).toEqual(['$schema', 'version', 'runs']);
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].columnKind).toBe('utf16CodeUnits');
    expect(log.runs[0].tool.driver.name).toBe('velero-node-agent');
    expect(log.runs[0].tool.driver.version).toBe('1.2.3');
    expect(results).toHaveLength(FINDINGS.length);
  });

  test('rules: id, the summary as short description, the usual severity as default level', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(ALL_RULES.map((r) => r.id));
    expect(rules[ruleIndex('image-pinned')]).toEqual({
      id: 'image-pinned',
      shortDescription: { text: RULES.find((r) => r.id === 'image-pinned')!.summary },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules[ruleIndex('duplicate-key')].defaultConfiguration).toEqual({ level: 'warning' });
  });

  test('an error: rule, level, message with the hint, the file relative to the working directory, the key path', () => {
    const { partialFingerprints, ...rest } = results[0];
    expect(rest).toEqual({
      ruleId: 'schema',
      ruleIndex: ruleIndex('schema'),
      level: 'error',
      message: { text: 'unknown key "namespce" (did you mean "namespace"?)' },
      locations: [location('environments/prod.yaml', 4, 3, 'velero.namespce')],
    });
    expect(Object.keys(partialFingerprints)).toEqual([FINGERPRINT_KEY]);
    expect(partialFingerprints[FINGERPRINT_KEY]).toMatch(FINGERPRINT);
  });

  test('a warning, and a waived error: a warning whose waiver is an accepted suppression with its reason', () => {
    expect(results[1]).toMatchObject({ ruleId: 'spc-no-relabeling-without-read-only', level: 'warning', locations: [location('environments/prod.yaml', 9, 24, 'config.backupPVC.gp3.spcNoRelabeling')] });
    expect(results[1]).not.toHaveProperty('suppressions');
    expect(results[2]).toMatchObject({
      ruleId: 'load-concurrency-minimum',
      level: 'warning',
      message: { text: 'globalConfig is 0: Velero uses 1 instead (waived: lab cluster, testing the default)' },
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'lab cluster, testing the default' }],
    });
  });

  test('no key path: no logical location; an absolute path inside the working directory becomes relative', () => {
    expect(results[3].locations).toEqual([location('environments/broken.yaml', 3, 1)]);
  });

  test('a key with a newline, % and , in a message, a Windows path: escaped text, forward slashes, an encoded URI', () => {
    expect(results[4].message).toEqual({ text: 'label key "team\\n::error::forged" is not valid' });
    expect(results[4].locations[0].logicalLocations).toEqual([{ fullyQualifiedName: 'nodeAgent.podLabels["team\\n::error::forged"]' }]);
    expect(results[5].message).toEqual({ text: 'cpuRequest "100%" is not a quantity, so Velero ignores podResources (write 100m, 1 or 2)' });
    expect(results[5].locations).toEqual([location('environments/windows.yaml', 7, 20, 'config.podResources.cpuRequest')]);
    const odd = parseSarif(sarif([{ ...FINDINGS[0], file: 'env ironments/a#b%.yaml' }, { ...FINDINGS[0], file: '/tmp/x y.yaml' }, { ...FINDINGS[0], file: 'C:\\a b\\c.yaml' }], { version: '1', rules: ALL_RULES, cwd: CWD }));
    expect(odd.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['env%20ironments/a%23b%25.yaml', 'file:///tmp/x%20y.yaml', 'file:///C:/a%20b/c.yaml']);
  });

  test('fingerprints: one per finding, from rule, file, key path and message, not the line', () => {
    const prints = results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(FINDINGS.length);
    const moved = FINDINGS.map((f) => ({ ...f, line: f.line + 3, column: f.column + 1 }));
    expect(parseSarif(sarif(moved, { version: '1.2.3', rules: ALL_RULES, cwd: CWD })).runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY])).toEqual(prints);
    // the same file named on Windows and on Linux has the same fingerprint
    const windows = sarif([{ ...FINDINGS[0], file: 'environments\\prod.yaml' }], { version: '1.2.3', rules: ALL_RULES, cwd: CWD });
    expect(JSON.parse(windows).runs[0].results[0].partialFingerprints).toEqual(results[0].partialFingerprints);
    // any other field changes it
    for (const change of [{ rule: 'number' }, { file: 'environments/other.yaml' }, { path: 'velero.name' }, { message: 'unknown key "x"' }]) {
      const other = sarif([{ ...FINDINGS[0], ...change }], { version: '1.2.3', rules: ALL_RULES, cwd: CWD });
      expect(JSON.parse(other).runs[0].results[0].partialFingerprints).not.toEqual(results[0].partialFingerprints);
    }
  });

  test('identical findings at two lines of a file are told apart by their order', () => {
    const twice = [FINDINGS[3], { ...FINDINGS[3], line: 9 }];
    const prints = parseSarif(sarif(twice, { version: '1', rules: ALL_RULES, cwd: CWD })).runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints[0]).toMatch(FINGERPRINT);
    expect(prints[1]).toBe(prints[0].replace(/:1$/, ':2'));
  });

  test('no findings: a valid log with an empty results list', () => {
    expect(parseSarif(sarif([], { version: '1', rules: ALL_RULES, cwd: CWD })).runs[0].results).toEqual([]);
  });
});

describe('every rule id a finding can carry is a SARIF rule', () => {
  /**
   * The string literals the sources give as a rule id: the value of a `rule:` property, the
   * argument of a parameter named `rule` (the type checker resolves which), and a `rule`
   * parameter's default.
   */
  function emittedRuleIds(): Map<string, string> {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram(config.fileNames, config.options);
    const checker = program.getTypeChecker();
    const ids = new Map<string, string>();
    const collect = (node: ts.Node, where: string) => {
      if (ts.isStringLiteralLike(node)) ids.set(node.text, where);
      else if (!ts.isCallExpression(node) && !ts.isFunctionLike(node)) ts.forEachChild(node, (child) => collect(child, where));
    };
    for (const source of program.getSourceFiles()) {
      if (source.isDeclarationFile || !source.fileName.startsWith(ROOT) || source.fileName.includes('node_modules')) continue;
      const visit = (node: ts.Node) => {
        const where = `${path.relative(ROOT, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (ts.isPropertyAssignment(node) && node.name.getText() === 'rule') collect(node.initializer, where);
        if (ts.isParameter(node) && node.name.getText() === 'rule' && node.initializer) collect(node.initializer, where);
        if (ts.isCallExpression(node)) {
          const parameters = checker.getResolvedSignature(node)?.parameters ?? [];
          node.arguments.forEach((argument, i) => parameters[i]?.name === 'rule' && collect(argument, where));
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    return ids;
  }

  const emitted = emittedRuleIds();
  const driverRules: string[] = JSON.parse(sarif([], { version: '1', rules: ALL_RULES, cwd: CWD })).runs[0].tool.driver.rules.map((r: { id: string }) => r.id);

  test('the sources emit the ids of the input, schema, manifest and lint checks (the scan works)', () => {
    for (const id of ['yaml-syntax', 'schema', 'manifest-schema', 'daemonset-contract', 'go-decode', 'input-file']) expect(emitted.has(id)).toBe(true);
  });

  test.each([...emitted])('%s (%s) is in RULES or policies/checks.ts', (id) => {
    expect(driverRules).toContain(id);
  });

  test.each(CHECKS.map((c) => c.id))('policies/checks.ts lists %s, which the sources emit', (id) => {
    expect(emitted.has(id)).toBe(true);
  });

  test('each rule once', () => {
    expect(new Set(driverRules).size).toBe(driverRules.length);
  });
});

// ---------------------------------------------------------------------------------------------
// JUnit

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), cdataPropName: '#cdata' });

describe('junit', () => {
  const text = junit(FINDINGS, { version: '1.2.3', inputs: ['environments/_fleet.yaml', 'environments/prod.yaml'], cwd: CWD });
  const { testsuites } = xml.parse(text);

  test('one suite per file, sorted, each file once; the counts of tests and failures', () => {
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="velero-node-agent 1.2.3" tests="7" failures="4" errors="0" skipped="0">')).toBe(true);
    expect(testsuites.testsuite.map((s: any) => [s.name, s.tests, s.failures])).toEqual([
      ['environments/_fleet.yaml', '1', '0'],
      ['environments/broken.yaml', '1', '1'],
      ['environments/labels.yaml', '1', '1'],
      ['environments/prod.yaml', '3', '1'],
      ['environments/windows.yaml', '1', '1'],
    ]);
  });

  test('a file without findings: one passing test case, "no findings"', () => {
    expect(testsuites.testsuite[0].testcase).toEqual([{ classname: 'environments/_fleet', name: 'no findings', file: 'environments/_fleet.yaml' }]);
  });

  test('an error: a failing test case named by rule, key path and message; the finding line in the failure', () => {
    expect(testsuites.testsuite[3].testcase[0]).toEqual({
      classname: 'environments/prod',
      name: 'schema velero.namespce: unknown key "namespce"',
      file: 'environments/prod.yaml',
      failure: { message: 'unknown key "namespce" (did you mean "namespace"?)', type: 'schema', '#cdata': 'environments/prod.yaml:4:3  error  schema  velero.namespce  unknown key "namespce" (did you mean "namespace"?)' },
    });
  });

  test('a warning and a waived error: passing test cases, the finding line as system-out', () => {
    expect(testsuites.testsuite[3].testcase.slice(1)).toEqual([
      {
        classname: 'environments/prod',
        name: 'spc-no-relabeling-without-read-only config.backupPVC.gp3.spcNoRelabeling: spcNoRelabeling has no effect unless readOnly is true',
        file: 'environments/prod.yaml',
        'system-out': { '#cdata': 'environments/prod.yaml:9:24  warning  spc-no-relabeling-without-read-only  config.backupPVC.gp3.spcNoRelabeling  spcNoRelabeling has no effect unless readOnly is true (set readOnly: true, or remove spcNoRelabeling)' },
      },
      {
        classname: 'environments/prod',
        name: 'load-concurrency-minimum config.loadConcurrency.globalConfig: globalConfig is 0: Velero uses 1 instead',
        file: 'environments/prod.yaml',
        'system-out': { '#cdata': 'environments/prod.yaml:12:19  warning  load-concurrency-minimum  config.loadConcurrency.globalConfig  globalConfig is 0: Velero uses 1 instead (waived: lab cluster, testing the default)' },
      },
    ]);
  });

  test('no key path, a key with a newline, % and , in a message, a Windows path', () => {
    expect(testsuites.testsuite[1].testcase[0]).toMatchObject({ classname: 'environments/broken', name: 'yaml-syntax -: Implicit map keys need to be followed by map values', file: 'environments/broken.yaml' });
    expect(testsuites.testsuite[2].testcase[0]).toEqual({
      classname: 'environments/labels',
      name: 'labels-and-annotations nodeAgent.podLabels["team\\n::error::forged"]: label key "team\\n::error::forged" is not valid',
      file: 'environments/labels.yaml',
      failure: { message: 'label key "team\\n::error::forged" is not valid', type: 'labels-and-annotations', '#cdata': 'environments/labels.yaml:6:5  error  labels-and-annotations  nodeAgent.podLabels["team\\n::error::forged"]  label key "team\\n::error::forged" is not valid' },
    });
    expect(testsuites.testsuite[4].testcase[0]).toMatchObject({
      classname: 'environments/windows',
      name: 'pod-resources config.podResources.cpuRequest: cpuRequest "100%" is not a quantity, so Velero ignores podResources',
      file: 'environments/windows.yaml',
      failure: { message: 'cpuRequest "100%" is not a quantity, so Velero ignores podResources (write 100m, 1 or 2)', type: 'pod-resources' },
    });
  });

  test('markup, CDATA ends and control characters in a finding stay text', () => {
    const hostile: Finding = { ...FINDINGS[0], message: 'a <b> & "c" ]]> d\u0007e', hint: '</failure><x>' };
    const [suite] = xml.parse(junit([hostile], { version: '1', inputs: [], cwd: CWD })).testsuites.testsuite;
    expect(suite.testcase[0].failure).toEqual({
      message: 'a <b> & "c" ]]> d\\u0007e (</failure><x>)',
      type: 'schema',
      '#cdata': ['environments/prod.yaml:4:3  error  schema  velero.namespce  a <b> & "c" ]]', '> d\\u0007e (</failure><x>)'],
    });
  });

  test('test names do not change when lines move', () => {
    const names = (findings: Finding[]) => xml.parse(junit(findings, { version: '1', inputs: [], cwd: CWD })).testsuites.testsuite.flatMap((s: any) => s.testcase.map((c: any) => c.name));
    expect(names(FINDINGS.map((f) => ({ ...f, line: f.line + 5 })))).toEqual(names(FINDINGS));
  });
});

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

describe('github', () => {
  test('one workflow command per finding, GitHub-escaped', () => {
    expect(githubAnnotations(FINDINGS, CWD)).toEqual([
      '::error file=environments/prod.yaml,line=4,col=3,title=schema::unknown key "namespce" (did you mean "namespace"?)',
      '::warning file=environments/prod.yaml,line=9,col=24,title=spc-no-relabeling-without-read-only::spcNoRelabeling has no effect unless readOnly is true (set readOnly: true, or remove spcNoRelabeling)',
      '::warning file=environments/prod.yaml,line=12,col=19,title=load-concurrency-minimum::globalConfig is 0: Velero uses 1 instead (waived: lab cluster, testing the default)',
      '::error file=environments/broken.yaml,line=3,col=1,title=yaml-syntax::Implicit map keys need to be followed by map values (fix the YAML syntax; nothing was rendered)',
      '::error file=environments/labels.yaml,line=6,col=5,title=labels-and-annotations::label key "team\\n::error::forged" is not valid',
      '::error file=environments/windows.yaml,line=7,col=20,title=pod-resources::cpuRequest "100%25" is not a quantity, so Velero ignores podResources (write 100m, 1 or 2)',
    ]);
  });

  test('properties escape % : and , and the line breaks; nothing a file holds starts a new command', () => {
    const hostile: Finding = { ...FINDINGS[0], file: 'a,b:c%d\r\ne.yaml', rule: 'schema', message: 'x\r\n::error::forged\u2028y', hint: undefined };
    const [line] = githubAnnotations([hostile], CWD);
    expect(line).toBe('::error file=a%2Cb%3Ac%25d\\r\\ne.yaml,line=4,col=3,title=schema::x\\r\\n::error::forged\\u2028y');
    expect(line.split(/[\r\n\u2028\u2029]/)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Through the command line

describe('validate --format sarif|junit|github', () => {
  test('sarif: the findings as results, exit 1 on an error; stderr has the waivers, skipped checks and summary', () => {
    const r = cli(['validate', '--environments', INVALID, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = parseSarif(r.out);
    expect(log.runs[0].tool.driver.version).toBe(VERSION);
    expect(log.runs[0].results.map((x: any) => [x.ruleId, x.level, x.locations[0].physicalLocation.artifactLocation.uri, x.locations[0].physicalLocation.region.startLine, !!x.suppressions])).toEqual([
      ['schema', 'error', 'test/fixtures/ci/invalid/bad.yaml', 5, false],
      ['spc-no-relabeling-without-read-only', 'warning', 'test/fixtures/ci/invalid/bad.yaml', 9, false],
      ['load-concurrency-minimum', 'warning', 'test/fixtures/ci/invalid/waived.yaml', 6, true],
    ]);
    expect(r.err).toBe(
      [
        'Waivers in force:',
        `${path.join(INVALID, 'waived.yaml')}:8:11  waiver  load-concurrency-minimum  waived  lab cluster, testing the default`,
        '',
        'Not checked, for want of an inventory:',
        'bad: storage-class-exists (add storageClasses to check them)',
        '',
        '1 error, 2 warnings; validated, nothing written.',
      ].join('\n'),
    );
  });

  test('junit: a suite per file, exit 1 on an error', () => {
    const r = cli(['validate', '--environments', INVALID, '--format', 'junit']);
    expect(r.code).toBe(1);
    const suites = xml.parse(r.out).testsuites.testsuite;
    expect(suites.map((s: any) => [s.name, s.tests, s.failures])).toEqual([
      ['test/fixtures/ci/invalid/bad.yaml', '2', '1'],
      ['test/fixtures/ci/invalid/waived.yaml', '1', '0'],
    ]);
    expect(r.err.split('\n').pop()).toBe('1 error, 2 warnings; validated, nothing written.');
  });

  test('github: one command per finding on stdout, exit 1 on an error', () => {
    const r = cli(['validate', '--environments', INVALID, '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        '::error file=test/fixtures/ci/invalid/bad.yaml,line=5,col=13,title=schema::expected one of trace, debug, info, warning, error, fatal, panic; got the string "verbose"',
        '::warning file=test/fixtures/ci/invalid/bad.yaml,line=9,col=24,title=spc-no-relabeling-without-read-only::spcNoRelabeling has no effect unless readOnly is true (set readOnly: true, or remove spcNoRelabeling)',
        '::warning file=test/fixtures/ci/invalid/waived.yaml,line=6,col=19,title=load-concurrency-minimum::globalConfig is 0: Velero uses 1 instead (waived: lab cluster, testing the default)',
      ].join('\n'),
    );
    expect(r.err.split('\n').pop()).toBe('1 error, 2 warnings; validated, nothing written.');
  });

  test('a valid fleet: exit 0 in every format; JUnit has a suite for every file read', () => {
    for (const format of ['sarif', 'junit', 'github']) {
      const r = cli(['validate', '--environments', FLEET, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.err.split('\n').pop()).toMatch(/^0 errors, \d+ warnings?; validated, nothing written\.$/);
    }
    const suites = xml.parse(cli(['validate', '--environments', FLEET, '--format', 'junit']).out).testsuites.testsuite;
    expect(suites.map((s: any) => s.name)).toEqual(['test/fixtures/fleet/_base.yaml', 'test/fixtures/fleet/east.yaml', 'test/fixtures/fleet/west.yaml']);
    expect(parseSarif(cli(['validate', '--environments', FLEET, '--format', 'sarif']).out).runs[0].results.every((x: any) => x.level === 'warning')).toBe(true);
  });

  test('fingerprints stay when a line is inserted above a finding', () => {
    const dir = tmp('envs-');
    const file = path.join(dir, 'bad.yaml');
    const bad = fs.readFileSync(path.join(INVALID, 'bad.yaml'), 'utf8');
    const results = () => parseSarif(cli(['validate', '--environments', dir, '--format', 'sarif']).out).runs[0].results;
    fs.writeFileSync(file, bad);
    const before = results();
    fs.writeFileSync(file, `# a comment above everything\n${bad}`);
    const after = results();
    expect(after.map((x: any) => x.locations[0].physicalLocation.region.startLine)).toEqual(before.map((x: any) => x.locations[0].physicalLocation.region.startLine + 1));
    expect(after.map((x: any) => x.partialFingerprints)).toEqual(before.map((x: any) => x.partialFingerprints));
  });

  test('repeated findings are summarised as in the text output', () => {
    const keys = Array.from({ length: SHOWN_PER_RULE + 5 }, (_, i) => `  unknown${i}: 1`);
    const dir = tmp('envs-');
    fs.writeFileSync(path.join(dir, 'many.yaml'), ['velero:', '  version: 1.18.1', 'nodeAgent:', ...keys, ''].join('\n'));
    const lines = cli(['validate', '--environments', dir, '--format', 'github']).out.split('\n');
    expect(lines).toHaveLength(SHOWN_PER_RULE + 1);
    expect(lines[SHOWN_PER_RULE]).toMatch(/^::error file=.*title=schema::5 more errors of schema in this file \(25 in all; the first 20 are shown\) \(fix those shown, then run again\)$/);
    expect(parseSarif(cli(['validate', '--environments', dir, '--format', 'sarif']).out).runs[0].results).toHaveLength(SHOWN_PER_RULE + 1);
    expect(xml.parse(cli(['validate', '--environments', dir, '--format', 'junit']).out).testsuites.testsuite[0].testcase).toHaveLength(SHOWN_PER_RULE + 1);
  });
});

describe('lint-configmap --format sarif|junit|github', () => {
  test('the same formats, exit 1 on an error', () => {
    const github = cli(['lint-configmap', CONFIGMAP, '--format', 'github']);
    expect(github.code).toBe(1);
    expect(github.out.split('\n')).toEqual([
      '::error file=test/fixtures/ci/configmap.yaml,line=10,col=43,title=go-decode::cannot decode the string "2" into loadConcurrency.globalConfig (a Go int): ' +
        'only integer literals decode into an int: write 2 without quotes (node-agent exits at startup from Velero 1.17; before 1.17 it ignores the whole ConfigMap)',
      '::warning file=test/fixtures/ci/configmap.yaml,line=11,col=7,title=case-insensitive-key::"BackupPVC" works only because Velero matches keys case-insensitively (write "backupPVC")',
    ]);
    expect(github.err).toBe('1 error, 1 warning; test/fixtures/ci/configmap.yaml checked against Velero 1.18.1.');

    const log = cli(['lint-configmap', CONFIGMAP, '--format', 'sarif']);
    expect(log.code).toBe(1);
    expect(parseSarif(log.out).runs[0].results.map((x: any) => [x.ruleId, x.level, x.locations[0].logicalLocations[0].fullyQualifiedName])).toEqual([
      ['go-decode', 'error', 'data["node-agent-config.json"].loadConcurrency.globalConfig'],
      ['case-insensitive-key', 'warning', 'data["node-agent-config.json"].BackupPVC'],
    ]);

    const report = cli(['lint-configmap', CONFIGMAP, '--format', 'junit']);
    expect(report.code).toBe(1);
    expect(xml.parse(report.out).testsuites.testsuite.map((s: any) => [s.name, s.tests, s.failures])).toEqual([['test/fixtures/ci/configmap.yaml', '2', '1']]);
  });

  test('warnings only: exit 0', () => {
    const file = path.join(tmp('lint-'), 'warn.json');
    fs.writeFileSync(file, '{"BackupPVC": {}}');
    for (const format of ['sarif', 'junit', 'github']) expect(cli(['lint-configmap', file, '--format', format]).code).toBe(0);
  });
});

describe('wrong usage: exit 2', () => {
  test.each([
    [['validate', '--format', 'xml'], 'error: --format is text, json, sarif, junit or github, not "xml"'],
    [['synth', '--format', 'sarif'], 'error: --format sarif is for validate and lint-configmap'],
    [['check', '--format', 'junit'], 'error: --format junit is for validate and lint-configmap'],
  ])('%j', (argv, message) => {
    const r = cli(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(message);
  });
});
