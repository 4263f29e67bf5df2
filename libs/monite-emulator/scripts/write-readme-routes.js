// Rewrites the route table in README.md from the built route table (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { withRouteTable } from '../dist/route-table.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withRouteTable(readFileSync(readme, 'utf8')));
process.stdout.write('README.md: route table written\n');
