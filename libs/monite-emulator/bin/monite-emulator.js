#!/usr/bin/env node
// A committed shim so the bin exists as soon as npm links it; the compiled CLI lives in dist/
// (in the published package; in this repository, `npm run build --workspace monite-emulator`).
try {
  const { main } = await import('../dist/cli.js');
  await main(process.argv.slice(2));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('monite-emulator: not built yet; run `npm run build --workspace monite-emulator`\n');
  process.exitCode = 1;
}
