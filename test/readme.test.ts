/** The README is the user's manual: it must name every rule and every platform as the code has them. */
import * as fs from 'fs';
import * as path from 'path';
import { PLATFORMS } from '../constructs/platforms';
import { RULES } from '../policies/rules';

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
