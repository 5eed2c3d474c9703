'use strict';
// Whole-request errors as CloudKit JS reports them: bad credentials, a bad container, what
// production refuses, a missing sign-in, throttling with retryAfter, and a restarted emulator.

const { check, ok, eq, rejects, noErrors, onlyError } = require('../harness');

function serverError(error, what) {
  ok(error && error.isCKError, `${what}: a CKError`);
  ok(error.isServerError, `${what}: isServerError (got ${error.ckErrorCode}: ${error.reason})`);
  ok(typeof error.uuid === 'string' && error.uuid.length > 0, `${what}: a uuid`);
  ok(typeof error.reason === 'string' && error.reason.length > 0, `${what}: a reason`);
  return error;
}

check('errors: a signature by an unregistered key is AUTHENTICATION_FAILED', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.container, serverToServerKeyAuth: { keyID: ctx.config.keyId, privateKeyFile: ctx.config.otherKeyFile } });
  const error = serverError(await rejects(container.setUpAuth(), 'setUpAuth'), 'bad key');
  eq(error.ckErrorCode, 'AUTHENTICATION_FAILED', 'ckErrorCode');
});

check('errors: an unknown key ID is AUTHENTICATION_FAILED', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.container, serverToServerKeyAuth: { keyID: 'no-such-key', privateKeyFile: ctx.config.keyFile } });
  const error = serverError(await rejects(container.setUpAuth(), 'setUpAuth'), 'unknown key');
  eq(error.ckErrorCode, 'AUTHENTICATION_FAILED', 'ckErrorCode');
});

check('errors: an unknown API token is AUTHENTICATION_FAILED', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.container, apiTokenAuth: { apiToken: 'not-a-token' } });
  const error = serverError(await rejects(container.publicCloudDatabase.fetchRecords(['x']), 'fetch'), 'bad token');
  eq(error.ckErrorCode, 'AUTHENTICATION_FAILED', 'ckErrorCode');
});

check('errors: the private database without a signed-in user is AUTHENTICATION_REQUIRED with redirectURL', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.container, apiTokenAuth: { apiToken: ctx.config.apiToken } });
  const error = serverError(await rejects(container.privateCloudDatabase.fetchAllRecordZones(), 'zones'), 'no user');
  eq(error.ckErrorCode, 'AUTHENTICATION_REQUIRED', 'ckErrorCode');
  ok(typeof error.redirectURL === 'string' && error.redirectURL.length > 0, 'a redirectURL');
});

check('errors: a server key cannot reach the private database', async (ctx) => {
  const error = serverError(await rejects(ctx.s2s.privateCloudDatabase.fetchAllRecordZones(), 'zones'), 'private with key');
  ok(['AUTHENTICATION_FAILED', 'AUTHENTICATION_REQUIRED', 'ACCESS_DENIED'].includes(error.ckErrorCode), `an auth error, got ${error.ckErrorCode}`);
});

check('errors: an unknown container is a server error', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: 'iCloud.com.example.nosuchcontainer', serverToServerKeyAuth: ctx.serverKey });
  const error = serverError(await rejects(container.setUpAuth(), 'setUpAuth'), 'bad container');
  ok(['BAD_REQUEST', 'NOT_FOUND', 'AUTHENTICATION_FAILED', 'ACCESS_DENIED'].includes(error.ckErrorCode), `a documented code, got ${error.ckErrorCode}`);
});

check('errors: production refuses a record type that development grew', async (ctx) => {
  const type = `Grown${ctx.unique('t').replace(/[^A-Za-z0-9]/g, '')}`;
  const name = ctx.unique('grown');
  noErrors(await ctx.pub.saveRecords([{ recordType: type, recordName: name, fields: { n: { value: 1 } } }]), 'development grows the type');
  const production = ctx.configure({ containerIdentifier: ctx.config.container, environment: 'production', serverToServerKeyAuth: ctx.serverKey });
  await production.setUpAuth();
  const response = await production.publicCloudDatabase.saveRecords([{ recordType: type, recordName: name, fields: { n: { value: 1 } } }]);
  eq(onlyError(response, 'production save').ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
  const lookup = await production.publicCloudDatabase.fetchRecords([name]);
  ok(lookup.hasErrors, 'production has its own records: the development record is not there');
});

check('errors: a second container on the same server is served', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: `${ctx.config.container}.second`, serverToServerKeyAuth: ctx.serverKey });
  await container.setUpAuth();
  const response = await container.publicCloudDatabase.fetchAllRecordZones();
  eq(response.zones.map((z) => z.zoneID.zoneName), ['_defaultZone'], 'zones of the second container');
});

check('errors: throttling is THROTTLED with retryAfter', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.throttledContainer, serverToServerKeyAuth: ctx.serverKey, publicDatabasePartition: ctx.config.throttledUrl });
  // setUpAuth reads the key; its own request goes to the default host, not the partition.
  await container.setUpAuth().catch(() => null);
  const error = serverError(await rejects(container.publicCloudDatabase.fetchRecords(['x']), 'fetch'), 'throttled');
  eq(error.ckErrorCode, 'THROTTLED', 'ckErrorCode');
  ok(typeof error.retryAfter === 'number' && error.retryAfter > 0, `retryAfter, got ${error.retryAfter}`);
});

check('errors: a web auth token stays valid across an emulator restart', async (ctx) => {
  const container = ctx.configure({ containerIdentifier: ctx.config.container, apiTokenAuth: { apiToken: ctx.config.apiToken, persist: true }, privateDatabasePartition: ctx.config.restartedUrl });
  const response = await ctx.asUser('restarted', () => container.privateCloudDatabase.fetchAllRecordZones());
  ok(response.zones.length >= 1, 'zones listed');
});
