// The npm package: `npm pack` must ship the sources, both type files, the README and the LICENSE, and
// nothing of the tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('npm pack ships every source and type file, README and LICENSE, and no tests', () => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const [pack] = JSON.parse(output);
  assert.equal(pack.name, '@jobprogress/client');
  const files = pack.files.map((f) => f.path).sort();
  const sources = readdirSync(new URL('../src/', import.meta.url)).map((name) => `src/${name}`);
  assert.deepEqual(files, ['LICENSE', 'README.md', 'package.json', ...sources].sort());
  assert.ok(sources.includes('src/index.d.ts') && sources.includes('src/react.d.ts'));
  assert.ok(sources.includes('src/identity.js'), 'a module added later is shipped too');
});

test('every path in the exports map is in the package', () => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const files = new Set(JSON.parse(output)[0].files.map((f) => f.path));
  const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'exports', 'main', 'types', '--json'], { cwd: root, encoding: 'utf8' }));
  const paths = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((entry) => Object.values(entry))];
  for (const path of paths) assert.ok(files.has(path.replace(/^\.\//, '')), `${path} is packed`);
});
