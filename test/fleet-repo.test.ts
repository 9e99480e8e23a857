/**
 * README "Start your fleet repository", followed as written in a copy of this repository: the
 * examples deleted, a cluster of one's own added, npm ci, synth, the whole npm test, a commit.
 * Only the clone is replaced, by a copy of the working tree (tracked and untracked files).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmp } from './helpers';

const ROOT = path.resolve(__dirname, '..');
/** Set for the npm test the guide runs, so that this test does not run itself again in there. */
const INSIDE = 'VELERO_FLEET_GUIDE_RUN';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Start your fleet repository'));
const commands = /```sh\n([\s\S]*?)```/.exec(section)![1];

const suite = process.env[INSIDE] ? describe.skip : describe;

suite('the fleet repository guide', () => {
  test('works as written: the examples replaced by a cluster of one\'s own, and npm test is green', () => {
    const copy = path.join(tmp('fleet-guide-'), 'velero-fleet');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
      if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
    }
    const env = {
      ...process.env, [INSIDE]: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false',
      GIT_AUTHOR_NAME: 'Fleet', GIT_AUTHOR_EMAIL: 'fleet@example.com', GIT_COMMITTER_NAME: 'Fleet', GIT_COMMITTER_EMAIL: 'fleet@example.com',
    };
    execFileSync('bash', ['-c', 'git init -q && git add -A && git commit -q -m "the template"'], { cwd: copy, env });

    const script = commands.split('\n').filter((line) => !line.startsWith('git clone ') && line !== 'cd velero-fleet').join('\n');
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: copy, env, encoding: 'utf8', timeout: 900_000 });
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr.slice(-4000) }).toEqual({ status: 0, stderr: '' });

    expect(fs.readdirSync(path.join(copy, 'environments'))).toEqual(['prod-east.yaml']);
    expect(fs.readdirSync(path.join(copy, 'dist'))).toEqual(['prod-east']);
    expect(fs.readFileSync(path.join(copy, 'dist', 'prod-east', 'daemonset-node-agent.yaml'), 'utf8')).toContain('privileged: true');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: copy, encoding: 'utf8' })).toBe('');
  }, 900_000);
});
