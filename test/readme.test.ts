/** The README is the user's manual: it must name every rule and every platform as the code has them. */
import * as fs from 'fs';
import * as path from 'path';
import { PLATFORMS } from '../velero/platforms';
import { RULES } from '../policies/rules';
import { NodeAgentConfig } from '../velero/node-agent-config';
import { RELEASES } from '../velero/releases';
import { DIFFERENCES } from './differences';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const rows = readme.split('\n').filter((l) => l.trimStart().startsWith('|'));

test('starts with the install-and-render command, then the test command', () => {
  const block = /```sh\n([\s\S]*?)```/.exec(readme)![1].split('\n');
  expect(block[0]).toMatch(/^npm ci && npm run synth\b/);
  expect(block[1]).toMatch(/^npm test\b/);
});

test.each(RULES.map((r) => [r.id, r.severity]))('the rule table has %s as %s', (id, severity) => {
  expect(rows.filter((r) => r.includes(`| \`${id}\` | ${severity} |`))).toHaveLength(1);
});

test.each(Object.entries(PLATFORMS))('the platform table has %s with its host paths', (name, profile) => {
  const row = rows.find((r) => r.startsWith(`| \`${name}\``));
  expect(row).toBeDefined();
  expect(row).toContain(`\`${profile.hostPodsPath}`);
  expect(row).toContain(`\`${profile.hostPluginsPath}\``);
  expect(row!.split('|')[4].trim()).toBe(profile.privileged ? 'yes' : 'no');
});

test.each(RULES.map((r) => [r.id, r.summary]))('the rule table says what %s catches, as the rule does', (id, summary) => {
  const row = rows.find((r) => r.includes(`| \`${id}\` |`))!;
  expect(row).toContain(summary.replace(/\|/g, '\\|'));
});

/** Every ConfigMap field with the release the schema says introduced it. */
function sinceOf(schema: any, at: string[] = []): [string, string][] {
  return Object.entries<any>(schema.properties ?? {}).flatMap(([key, node]) => {
    const here: [string, string][] = node['x-since'] ? [[[...at, key].join('.'), node['x-since']]] : [];
    const below = node.type === 'array' ? node.items : node.patternProperties ? Object.values<any>(node.patternProperties)[0] : node;
    return [...here, ...sinceOf(below, [...at, key])];
  });
}

test.each(sinceOf(NodeAgentConfig))('the config table gives %s with the release that introduced it (%s)', (field, since) => {
  const [top, ...rest] = field.split('.');
  const row = rows.find((r) => r.split('|')[1]?.includes(`\`${top}\``))!;
  expect(row).toBeDefined();
  // a top-level field in the "since" column; a nested one as "name … (X.Y.Z+)" in the shape column
  if (rest.length === 0) expect(row.split('|')[2].trim()).toBe(since);
  else expect(row.split('|')[3]).toMatch(new RegExp(`${rest[rest.length - 1]}[^()]*\\(${since.replace(/\./g, '\\.')}\\+\\)`));
});

test('the release list is the one in velero/releases.ts', () => {
  const section = readme.slice(readme.indexOf('## Velero releases'), readme.indexOf('## Platforms'));
  expect(section.replace(/\s+/g, ' ')).toContain(RELEASES.join(', '));
});

test('the table "Where we differ from velero install" has one row per tested difference, in order', () => {
  const section = readme.slice(readme.indexOf('### Where we differ from `velero install`'), readme.indexOf('## Policies'));
  const firstColumn = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| difference')).map((l) => l.split(' | ')[0].slice(2));
  expect(firstColumn).toEqual([...DIFFERENCES]);
});

test('no test reads the example environments/ or dist/ but the drift check (test/dist.test.ts)', () => {
  const readers = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'dist.test.ts')
    .filter((f) => /(ROOT|'\.\.'\)?), '(environments|dist)'\)|\.\.\/(environments|dist)\//.test(fs.readFileSync(path.join(__dirname, f), 'utf8')));
  expect(readers).toEqual([]);
});
