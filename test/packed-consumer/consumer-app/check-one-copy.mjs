// Run with `node` in a consumer app: loads each entry point of the installed nestjs-monite-auth with
// `require` and with `import`, from the app, and prints where each came from and whether the two
// gave the very same exports (one copy of every class per process). First, before anything else
// is loaded, whether the main entry pulled in @nestjs/swagger (it must not: an optional peer).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(process.cwd(), 'package.json'));
const loaded = () => Object.keys(require.cache).filter((file) => file.includes('@nestjs/swagger'));

require('nestjs-monite-auth');
const swaggerLoadedByMain = loaded().length > 0;

const entries = {};
for (const entry of ['nestjs-monite-auth', 'nestjs-monite-auth/testing', 'nestjs-monite-auth/swagger']) {
  const imported = await import(entry);
  const required = require(entry);
  const importedNames = Object.keys(imported).toSorted();
  const requiredNames = Object.keys(required)
    .filter((name) => name !== '__esModule')
    .toSorted();
  entries[entry] = {
    importedFrom: fileURLToPath(import.meta.resolve(entry)),
    requiredFrom: require.resolve(entry),
    names: importedNames.length,
    sameNames: importedNames.join() === requiredNames.join(),
    notIdentical: importedNames.filter((name) => imported[name] !== required[name]),
  };
}
process.stdout.write(`${JSON.stringify({ swaggerLoadedByMain, entries })}\n`);
