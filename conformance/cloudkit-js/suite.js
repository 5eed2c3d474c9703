'use strict';
// The CloudKit JS conformance suite: drives Apple's CloudKit JS (2.6.4, from the npm package
// `tsl-apple-cloudkit`) through its public API against `cloudkit serve`. Configuration comes
// from environment variables (README.md); the last line is `N passed, N failed`.

const fs = require('fs');
const path = require('path');
const { run } = require('./harness');
const { makeContext } = require('./context');

const MODULES = ['records', 'fields', 'query', 'zones', 'changes', 'subscriptions', 'notifications', 'users', 'assets', 'errors', 'transport'];

async function main() {
  const ctx = await makeContext();
  console.log(`# CloudKit JS ${ctx.CloudKit.VERSION} (build ${ctx.CloudKit.BUILD_VERSION}) against ${ctx.config.baseUrl}`);
  for (const name of MODULES) {
    require(path.join(__dirname, 'checks', `${name}.js`));
  }
  const known = JSON.parse(fs.readFileSync(path.join(__dirname, 'known-divergences.json'), 'utf8'));
  const failed = await run(ctx, known);
  // CloudKit JS keeps timers (notification polling) alive: leave explicitly.
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.log(`Bail out! ${error && error.stack ? error.stack : error}`);
  console.log('0 passed, 1 failed');
  process.exit(2);
});
