import * as fs from 'fs';
import * as path from 'path';

/** This package's version: its package.json is above cli/ in the sources and above lib/cli/ when built. */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  }
  return 'unknown';
}
