#!/usr/bin/env node
// Installs what the test suite needs beyond npm (a redis-server binary for the Redis token store
// specs), when that can be done without asking: as root, or with passwordless sudo, on a machine
// with apt-get (Debian, Ubuntu, CI). Anywhere else it stops with one line naming the command to run.
// Runs as `pretest`, so `npm test` on a fresh machine needs nothing but Node and npm.
import { spawnSync } from 'node:child_process';

const has = (command, args = ['--version']) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

if (has('redis-server')) process.exit(0);

const run = (argv) =>
  spawnSync(argv[0], argv.slice(1), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = isRoot ? [] : has('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;

if (sudo !== undefined && has('apt-get', ['--version'])) {
  console.log('setup-test-deps: installing redis-server (apt-get), needed by the Redis token store specs');
  const installed =
    run([...sudo, 'apt-get', 'update', '-qq']) &&
    run([...sudo, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'redis-server']);
  if (installed && has('redis-server')) process.exit(0);
}

console.error(
  'setup-test-deps: the tests need redis-server on PATH; install it first ' +
    '(Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)',
);
process.exit(1);
