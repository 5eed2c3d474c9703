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
  apiToken: env('CKTOOL_API_TOKEN'),
  webAuthToken: env('CKTOOL_WEB_AUTH_TOKEN'),
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

// The data API, as a signed-in user: API token plus web auth token headers.
const data = new PromisesApi({
  configuration: createConfiguration({ serverUrl: config.url }),
  security: { CloudKitAPITokenAuth: config.apiToken, CloudKitWebAuthTokenAuth: config.webAuthToken },
});
const db = (databaseType, zoneName) => ({ containerId: config.container, environment: 'DEVELOPMENT', databaseType, ...(zoneName ? { zoneName } : {}) });
const recordName = `cktool-${process.pid}`;

check('getZones: the public database has its default zone', async () => {
  const response = await data.getZones(db('PUBLIC'));
  ok(response.statusCode === 200, `status ${response.statusCode}`);
  const zone = response.result.zones.find((z) => z.zoneName === '_defaultZone');
  ok(zone && zone.isDefaultZone === true && zone.canonicalName === '_defaultZone', `zones ${JSON.stringify(response.result.zones)}`);
});

check('createZone, getZone, deleteZone in the private database', async () => {
  const zoneName = `cktoolZone${process.pid}`;
  const created = await data.createZone({ ...db('PRIVATE'), body: { zoneName } });
  ok(created.statusCode === 201 && created.result.zone.zoneName === zoneName, `created ${JSON.stringify(created.result)}`);
  const got = await data.getZone(db('PRIVATE', zoneName));
  ok(got.result.zone.zoneName === zoneName, 'getZone finds it');
  const listed = await data.getZones(db('PRIVATE'));
  ok(listed.result.zones.some((z) => z.zoneName === zoneName), 'getZones lists it');
  const deleted = await data.deleteZone(db('PRIVATE', zoneName));
  ok(deleted.statusCode >= 200 && deleted.statusCode < 300, `delete status ${deleted.statusCode}`);
  const error = await rejection(data.getZone(db('PRIVATE', zoneName)));
  ok(error.statusCode >= 400, `a deleted zone is not found (${error.statusCode})`);
});

check('createRecord: typed fields, ISO times, a change tag', async () => {
  const response = await data.createRecord({
    ...db('PUBLIC', '_defaultZone'),
    body: { recordName, recordType: 'Item', fields: { str: { type: 'stringType', value: 'from cktool' }, num: { type: 'int64Type', value: 42 } } },
  });
  ok(response.statusCode === 201, `status ${response.statusCode}`);
  const record = response.result.record;
  ok(record.recordName === recordName && typeof record.recordChangeTag === 'string', `record ${JSON.stringify(record)}`);
  ok(record.fields.str.value === 'from cktool', `str ${JSON.stringify(record.fields.str)}`);
  ok(Number(record.fields.num.value) === 42, `num ${JSON.stringify(record.fields.num)}`);
});

check('getRecord and lookupRecords find it; a missing name is an error result', async () => {
  const got = await data.getRecord({ ...db('PUBLIC', '_defaultZone'), recordName });
  ok(got.result.record.fields.str.value === 'from cktool', 'getRecord');
  const looked = await data.lookupRecords({ ...db('PUBLIC', '_defaultZone'), body: { recordNames: [recordName, 'cktool-missing'] } });
  const [found, missing] = looked.result.recordResults;
  ok(found.type === 'existing' && found.record.recordName === recordName, `first ${JSON.stringify(found)}`);
  ok(missing.type === 'error' && missing.errorCode === 'NOT_FOUND', `second ${JSON.stringify(missing)}`);
});

check('queryRecords: a filter and a sort', async () => {
  const response = await data.queryRecords({
    ...db('PUBLIC', '_defaultZone'),
    body: { query: { recordType: 'Item', filters: [{ type: 'EQUALS', fieldName: 'str', fieldValue: { type: 'stringType', value: 'from cktool' } }], sorts: [{ fieldName: 'num', order: 'DESC' }] }, resultsLimit: 10 },
  });
  ok(response.result.records.some((r) => r.recordName === recordName), `records ${JSON.stringify(response.result.records.map((r) => r.recordName))}`);
});

check('updateRecord with the change tag; a stale tag is refused', async () => {
  const current = (await data.getRecord({ ...db('PUBLIC', '_defaultZone'), recordName })).result.record;
  const updated = await data.updateRecord({
    ...db('PUBLIC', '_defaultZone'), recordName,
    body: { recordType: 'Item', recordChangeTag: current.recordChangeTag, fields: { str: { type: 'stringType', value: 'updated' } } },
  });
  ok(updated.statusCode === 200 && updated.result.record.fields.str.value === 'updated', `updated ${JSON.stringify(updated.result)}`);
  ok(updated.result.record.recordChangeTag !== current.recordChangeTag, 'a new change tag');
  const error = await rejection(data.updateRecord({
    ...db('PUBLIC', '_defaultZone'), recordName,
    body: { recordType: 'Item', recordChangeTag: current.recordChangeTag, fields: { str: { type: 'stringType', value: 'stale' } } },
  }));
  ok(error.statusCode === 409, `a stale tag is a conflict (${error.statusCode})`);
});

check('deleteRecord, then getRecord is a documented 404', async () => {
  const deleted = await data.deleteRecord({ ...db('PUBLIC', '_defaultZone'), recordName });
  ok(deleted.statusCode >= 200 && deleted.statusCode < 300, `status ${deleted.statusCode}`);
  const error = await rejection(data.getRecord({ ...db('PUBLIC', '_defaultZone'), recordName }));
  ok(error.statusCode === 404 && error.result && error.result.reason === 'NOT_FOUND', `error ${error.statusCode} ${JSON.stringify(error.result)}`);
});

check('queryRecordChanges and deleteRecordsByQuery in a private zone', async () => {
  const zoneName = `cktoolChanges${process.pid}`;
  await data.createZone({ ...db('PRIVATE'), body: { zoneName } });
  for (const n of [1, 2, 3]) {
    await data.createRecord({ ...db('PRIVATE', zoneName), body: { recordName: `c${n}`, recordType: 'Item', fields: { num: { type: 'int64Type', value: n } } } });
  }
  const first = await data.queryRecordChanges(db('PRIVATE', zoneName));
  ok(first.result.recordResults.length === 3 && first.result.recordResults.every((r) => r.type === 'existing'), `first ${JSON.stringify(first.result.recordResults.map((r) => r.type))}`);
  ok(first.result.moreComing === false && typeof first.result.changeToken === 'string', 'a change token, nothing more coming');
  const filters = [{ type: 'GREATER_THAN', fieldName: 'num', fieldValue: { type: 'int64Type', value: 1 } }];
  const dry = await data.deleteRecordsByQuery({ ...db('PRIVATE', zoneName), body: { recordType: 'Item', filters, dryRun: true } });
  ok(dry.result.deletedCount === 2 && dry.result.errors.length === 0, `dry run ${JSON.stringify(dry.result)}`);
  const done = await data.deleteRecordsByQuery({ ...db('PRIVATE', zoneName), body: { recordType: 'Item', filters } });
  ok(done.result.deletedCount === 2, `deleted ${JSON.stringify(done.result)}`);
  const since = await data.queryRecordChanges({ ...db('PRIVATE', zoneName), body: { changeToken: first.result.changeToken } });
  const kinds = since.result.recordResults.map((r) => r.type);
  ok(kinds.length === 2 && kinds.every((k) => k === 'deleted'), `since the token ${JSON.stringify(kinds)}`);
});

check('getSessionUser names the signed-in user', async () => {
  const response = await data.getSessionUser({ containerId: config.container, environment: 'DEVELOPMENT' });
  ok(response.statusCode === 200 && /^_/.test(response.result.user.userRecordName), `user ${JSON.stringify(response.result)}`);
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
