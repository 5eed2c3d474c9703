'use strict';
// Apple's CKTool JS (npm @apple/cktool.database 1.3.2) against `cloudkit serve
// --management-token`: the management API through CKTool JS's public API only. Configuration
// comes from environment variables (see cloudkit-cli/tests/cktool_js.rs); the last line is
// `N passed, N failed`.

const path = require('path');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const modules = env('CKTOOL_MODULES');
const load = (name) => require(path.join(modules, name));
const { PromisesApi } = load('@apple/cktool.database');
const { createConfiguration } = load('@apple/cktool.target.nodejs');
const FileClass = globalThis.File || require('node:buffer').File;

const config = {
  url: env('CKTOOL_URL'),
  token: env('CKTOOL_TOKEN'),
  team: env('CKTOOL_TEAM'),
  container: env('CKTOOL_CONTAINER'),
  other: env('CKTOOL_OTHER_CONTAINER'),
};

function api(token) {
  return new PromisesApi({
    configuration: createConfiguration({ serverUrl: config.url }),
    security: { ManagementTokenAuth: token },
  });
}

const client = api(config.token);
const where = (environment) => ({ teamId: config.team, containerId: config.container, environment });
const schemaFile = (text) => new FileClass([text], 'schema.ckdb');

async function exported(environment) {
  const response = await client.exportSchema(where(environment));
  if (response.statusCode !== 200) throw new Error(`export answered ${response.statusCode}`);
  return response.result.text();
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded; an error was expected');
}

function ok(condition, message) {
  if (!condition) throw new Error(message);
}

const checks = [];
const check = (name, run) => checks.push({ name, run });

check('getTeams: the emulator has one team', async () => {
  const response = await client.getTeams();
  ok(response.statusCode === 200, `status ${response.statusCode}`);
  const ids = response.result.teams.map((t) => t.teamId);
  ok(ids.length === 1 && ids[0] === config.team, `teams ${JSON.stringify(ids)}`);
});

check('getContainers: every container served is in the team', async () => {
  const response = await client.getContainers({ teamId: config.team });
  const ids = response.result.containers.map((c) => c.id);
  ok(ids.includes(config.container) && ids.includes(config.other), `containers ${JSON.stringify(ids)}`);
});

check('getContainers: a page of one continues with nextKey', async () => {
  const first = await client.getContainers({ teamId: config.team, limit: 1 });
  ok(first.result.containers.length === 1, 'one container on the first page');
  ok(typeof first.result.nextKey === 'string', 'a nextKey');
  const second = await client.getContainers({ teamId: config.team, limit: 1, startingAfterKey: first.result.nextKey });
  ok(second.result.containers[0].id !== first.result.containers[0].id, 'the second page moves on');
});

check('exportSchema: the development schema as a file', async () => {
  const text = await exported('DEVELOPMENT');
  ok(text.startsWith('DEFINE SCHEMA'), `starts ${JSON.stringify(text.slice(0, 20))}`);
  ok(text.includes('RECORD TYPE Item'), 'holds the schema file\'s record type');
});

check('validateSchema: an added field is valid', async () => {
  const current = await exported('DEVELOPMENT');
  const added = current.replace(/RECORD TYPE Item \(\n/, 'RECORD TYPE Item (\n        cktoolAdded STRING,\n');
  const response = await client.validateSchema({ ...where('DEVELOPMENT'), file: schemaFile(added) });
  ok(response.statusCode === 200, `status ${response.statusCode}`);
  ok(response.result.isValid === true, `isValid ${response.result.isValid}: ${response.result.errorMessage}`);
});

check('validateSchema: dropping a production record type is not valid, with the reason', async () => {
  const response = await client.validateSchema({ ...where('DEVELOPMENT'), file: schemaFile('DEFINE SCHEMA\n    RECORD TYPE Other (\n        a STRING\n    );\n') });
  ok(response.result.isValid === false, 'isValid false');
  ok(/Item/.test(response.result.errorMessage || ''), `errorMessage ${response.result.errorMessage}`);
});

check('importSchema: development takes the file, export shows it, production keeps its own', async () => {
  const before = await exported('PRODUCTION');
  const current = await exported('DEVELOPMENT');
  const added = current.replace(/RECORD TYPE Item \(\n/, 'RECORD TYPE Item (\n        cktoolImported STRING,\n');
  const response = await client.importSchema({ ...where('DEVELOPMENT'), file: schemaFile(added) });
  ok(response.statusCode >= 200 && response.statusCode < 300, `status ${response.statusCode}`);
  ok((await exported('DEVELOPMENT')).includes('cktoolImported'), 'the imported field is in development');
  ok((await exported('PRODUCTION')) === before, 'production is unchanged');
});

check('importSchema: production takes no import (a documented RequestError)', async () => {
  const error = await rejection(client.importSchema({ ...where('PRODUCTION'), file: schemaFile(await exported('PRODUCTION')) }));
  ok(error.statusCode === 400, `statusCode ${error.statusCode}`);
  ok(error.result && error.result.reason === 'BAD_REQUEST' && typeof error.result.message === 'string', `result ${JSON.stringify(error.result)}`);
});

check('importSchema: an unparsable file is refused and changes nothing', async () => {
  const before = await exported('DEVELOPMENT');
  const error = await rejection(client.importSchema({ ...where('DEVELOPMENT'), file: schemaFile('DEFINE SCHEMA RECORD TYPE (') }));
  ok(error.statusCode === 400, `statusCode ${error.statusCode}`);
  ok((await exported('DEVELOPMENT')) === before, 'development unchanged');
});

check('resetToProduction: development is production again', async () => {
  const response = await client.resetToProduction(where('DEVELOPMENT'));
  ok(response.statusCode >= 200 && response.statusCode < 300, `status ${response.statusCode}`);
  ok((await exported('DEVELOPMENT')) === (await exported('PRODUCTION')), 'the two exports match');
});

check('resetConfigToProduction: accepted', async () => {
  const response = await client.resetConfigToProduction({ teamId: config.team, containerId: config.container });
  ok(response.statusCode >= 200 && response.statusCode < 300, `status ${response.statusCode}`);
});

check('a wrong management token is a documented 401', async () => {
  const error = await rejection(api('not-the-token').getTeams());
  ok(error.statusCode === 401, `statusCode ${error.statusCode}`);
  ok(error.result && error.result.code === 401, `result ${JSON.stringify(error.result)}`);
});

check('an unknown container is a documented 404', async () => {
  const error = await rejection(client.exportSchema({ teamId: config.team, containerId: 'iCloud.com.example.nosuch', environment: 'DEVELOPMENT' }));
  ok(error.statusCode === 404, `statusCode ${error.statusCode}`);
  ok(error.result && error.result.reason === 'NOT_FOUND', `result ${JSON.stringify(error.result)}`);
});

(async () => {
  let passed = 0;
  let failed = 0;
  for (const [i, { name, run }] of checks.entries()) {
    try {
      await run();
      passed += 1;
      console.log(`ok ${i + 1} - ${name}`);
    } catch (error) {
      failed += 1;
      const what = error && (error.message || error.constructor && error.constructor.name) || String(error);
      console.log(`not ok ${i + 1} - ${name}: ${what}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
