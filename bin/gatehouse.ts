#!/usr/bin/env node
import { main, messageOf } from '../src/cli/main.js';

main(process.argv.slice(2)).then((code) => { if (typeof code === 'number') process.exitCode = code; }, (e: unknown) => {
  console.error(`gatehouse: ${messageOf(e)}`);
  process.exitCode = 1;
});
