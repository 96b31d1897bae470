#!/usr/bin/env node
import { main } from '../src/cli/main.js';

main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; }, (e) => {
  console.error(`gatehouse: ${e.message}`);
  process.exitCode = 1;
});
