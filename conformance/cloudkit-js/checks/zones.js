'use strict';
// Zones of the private database: create, list, fetch, delete, and atomic batches in them.

const { check, ok, eq, failure, onlyError, noErrors } = require('../harness');

check('zones: saveRecordZones creates a custom zone with a sync token', async (ctx) => {
  const name = ctx.unique('zone');
  const response = noErrors(await ctx.priv.saveRecordZones([name]), 'create');
  eq(response.zones[0].zoneID.zoneName, name, 'zoneName');
  ok(typeof response.zones[0].syncToken === 'string', 'a syncToken');
});

check('zones: fetchAllRecordZones lists the default zone and custom zones', async (ctx) => {
  const zone = await ctx.privateZone('listed');
  const names = noErrors(await ctx.priv.fetchAllRecordZones(), 'list').zones.map((z) => z.zoneID.zoneName);
  ok(names.includes('_defaultZone'), `_defaultZone listed in ${names}`);
  ok(names.includes(zone.zoneName), `${zone.zoneName} listed`);
});

check('zones: fetchRecordZones of an unknown zone is a per-zone ZONE_NOT_FOUND', async (ctx) => {
  const zone = await ctx.privateZone('known');
  const missing = ctx.unique('nozone');
  const response = await ctx.priv.fetchRecordZones([zone.zoneName, missing]);
  eq(response.zones.map((z) => z.zoneID.zoneName), [zone.zoneName], 'found zones');
  const error = onlyError(response, 'lookup');
  eq(error.ckErrorCode, 'ZONE_NOT_FOUND', 'ckErrorCode');
  eq(error.zoneID && error.zoneID.zoneName, missing, 'zoneID of the error');
});

check('zones: deleteRecordZones deletes a zone and its records', async (ctx) => {
  const name = ctx.unique('doomed');
  noErrors(await ctx.priv.saveRecordZones([name]), 'create');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: 'n', fields: {} }], { zoneID: { zoneName: name } }), 'save');
  noErrors(await ctx.priv.deleteRecordZones([name]), 'delete');
  const error = onlyError(await ctx.priv.fetchRecordZones([name]), 'lookup after delete');
  eq(error.ckErrorCode, 'ZONE_NOT_FOUND', 'ckErrorCode');
});

check('zones: saving a record into a missing zone is ZONE_NOT_FOUND', async (ctx) => {
  const error = await failure(ctx.priv.saveRecords([{ recordType: 'Note', recordName: 'n', fields: {} }], { zoneID: { zoneName: ctx.unique('absent') } }), 'save');
  eq(error.ckErrorCode, 'ZONE_NOT_FOUND', 'ckErrorCode');
});

check('zones: an atomic batch in a custom zone fails as a whole (ATOMIC_ERROR)', async (ctx) => {
  const zoneID = await ctx.privateZone('atomic');
  const taken = ctx.unique('taken');
  const fresh = ctx.unique('fresh');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: taken, fields: {} }], { zoneID }), 'seed');
  const response = await ctx.priv.newRecordsBatch({ zoneID, atomic: true })
    .create([{ recordType: 'Note', recordName: fresh, fields: {} }, { recordType: 'Note', recordName: taken, fields: {} }])
    .commit()
    .catch((error) => ({ hasErrors: true, errors: [error], records: [] }));
  ok(response.hasErrors, 'errors reported');
  eq(response.records.length, 0, 'no record saved');
  const codes = response.errors.map((e) => e.ckErrorCode);
  ok(codes.includes('ATOMIC_ERROR') || codes.includes('EXISTS'), `ATOMIC_ERROR/EXISTS reported, got ${codes}`);
  const lookup = await ctx.priv.fetchRecords([fresh], { zoneID });
  eq(onlyError(lookup, 'lookup').ckErrorCode, 'NOT_FOUND', 'the innocent record was not written');
});

check('zones: a non-atomic batch in a custom zone keeps the good records', async (ctx) => {
  const zoneID = await ctx.privateZone('nonatomic');
  const taken = ctx.unique('taken');
  const fresh = ctx.unique('fresh');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: taken, fields: {} }], { zoneID }), 'seed');
  const response = await ctx.priv.newRecordsBatch({ zoneID, atomic: false })
    .create([{ recordType: 'Note', recordName: fresh, fields: {} }, { recordType: 'Note', recordName: taken, fields: {} }])
    .commit();
  eq(response.records.map((r) => r.recordName), [fresh], 'saved');
  eq(onlyError(response, 'batch').ckErrorCode, 'EXISTS', 'ckErrorCode');
});

check('zones: the public database has only the default zone', async (ctx) => {
  const names = noErrors(await ctx.pub.fetchAllRecordZones(), 'list').zones.map((z) => z.zoneID.zoneName);
  eq(names, ['_defaultZone'], 'zones');
});
