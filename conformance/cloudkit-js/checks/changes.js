'use strict';
// Change feeds of the private database: which zones changed (database changes) and what changed
// in a zone (zone changes), with incremental sync tokens and moreComing.

const { check, ok, eq, rejects, failure, noErrors } = require('../harness');

async function zoneWith(ctx, label, count) {
  const zoneID = { zoneName: ctx.unique(label) };
  noErrors(await ctx.priv.saveRecordZones([zoneID.zoneName]), 'create zone');
  const records = Array.from({ length: count }, (_, i) => ({ recordType: 'Note', recordName: `n${i + 1}`, fields: { title: { value: `note ${i + 1}` } } }));
  if (count > 0) noErrors(await ctx.priv.saveRecords(records, { zoneID }), 'seed');
  return zoneID;
}

async function zoneChanges(ctx, options) {
  const response = noErrors(await ctx.priv.fetchRecordZoneChanges([options]), 'zone changes');
  eq(response.zones.length, 1, 'one zone answered');
  return response.zones[0];
}

check('changes: fetchDatabaseChanges reports a new zone and a sync token', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'dbchanges', 0);
  const response = noErrors(await ctx.priv.fetchDatabaseChanges(), 'database changes');
  ok(typeof response.syncToken === 'string' && response.syncToken.length > 0, 'a syncToken');
  eq(response.moreComing, false, 'moreComing');
  ok(response.zones.some((z) => z.zoneID.zoneName === zoneID.zoneName), 'the new zone is reported');
});

check('changes: fetchDatabaseChanges with the sync token reports only zones changed since', async (ctx) => {
  const quiet = await zoneWith(ctx, 'quiet', 0);
  const busy = await zoneWith(ctx, 'busy', 0);
  const token = noErrors(await ctx.priv.fetchDatabaseChanges(), 'first').syncToken;
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: 'x', fields: {} }], { zoneID: busy }), 'write');
  const response = noErrors(await ctx.priv.fetchDatabaseChanges({ syncToken: token }), 'incremental');
  const names = response.zones.map((z) => z.zoneID.zoneName);
  ok(names.includes(busy.zoneName), `${busy.zoneName} reported in ${names}`);
  ok(!names.includes(quiet.zoneName), 'the quiet zone is not reported');
  ok(response.syncToken !== token, 'a new syncToken');
});

check('changes: fetchDatabaseChanges reports a deleted zone', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'gone', 0);
  const token = noErrors(await ctx.priv.fetchDatabaseChanges(), 'first').syncToken;
  noErrors(await ctx.priv.deleteRecordZones([zoneID.zoneName]), 'delete');
  const response = noErrors(await ctx.priv.fetchDatabaseChanges({ syncToken: token }), 'incremental');
  const entry = response.zones.find((z) => z.zoneID.zoneName === zoneID.zoneName);
  ok(entry, 'the deleted zone is reported');
  eq(entry.deleted, true, 'deleted');
});

check('changes: fetchRecordZoneChanges from the start returns every record', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'zc', 3);
  const zone = await zoneChanges(ctx, { zoneID });
  eq(zone.records.map((r) => r.recordName).sort(), ['n1', 'n2', 'n3'], 'records');
  eq(zone.moreComing, false, 'moreComing');
  ok(typeof zone.syncToken === 'string', 'a syncToken');
});

check('changes: fetchRecordZoneChanges with the sync token returns only later changes and tombstones', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'zc', 3);
  const first = await zoneChanges(ctx, { zoneID });
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: 'n4', fields: {} }], { zoneID }), 'add');
  noErrors(await ctx.priv.deleteRecords(['n1'], { zoneID }), 'delete');
  const next = await zoneChanges(ctx, { zoneID, syncToken: first.syncToken });
  const summary = next.records.map((r) => `${r.recordName}${r.deleted ? ':deleted' : ''}`).sort();
  eq(summary, ['n1:deleted', 'n4'], 'changes since the token');
  const again = await zoneChanges(ctx, { zoneID, syncToken: next.syncToken });
  eq(again.records.length, 0, 'nothing since the newest token');
});

check('changes: fetchRecordZoneChanges pages with resultsLimit and moreComing', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'paged', 5);
  const seen = [];
  const more = [];
  let syncToken;
  for (let page = 0; page < 6; page += 1) {
    const options = { zoneID, resultsLimit: 2 };
    if (syncToken) options.syncToken = syncToken;
    const zone = await zoneChanges(ctx, options);
    seen.push(...zone.records.map((r) => r.recordName));
    more.push(zone.moreComing);
    syncToken = zone.syncToken;
    if (!zone.moreComing) break;
  }
  eq(seen.sort(), ['n1', 'n2', 'n3', 'n4', 'n5'], 'every record once');
  eq(more, [true, true, false], 'moreComing per page');
});

check('changes: fetchRecordZoneChanges honours desiredRecordTypes and desiredKeys', async (ctx) => {
  const zoneID = await zoneWith(ctx, 'typed', 2);
  const none = await zoneChanges(ctx, { zoneID, desiredRecordTypes: ['Item'] });
  eq(none.records.length, 0, 'no Item records');
  const notes = await zoneChanges(ctx, { zoneID, desiredRecordTypes: ['Note'], desiredKeys: ['body'] });
  eq(notes.records.length, 2, 'Note records');
  ok(notes.records.every((r) => !r.fields || !r.fields.title), 'title left out');
});

check('changes: the default zone has no change feed (BAD_REQUEST)', async (ctx) => {
  const error = await failure(ctx.priv.fetchRecordZoneChanges([{ zoneID: { zoneName: '_defaultZone' } }]), 'default zone changes');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('changes: the public database has no database change feed', async (ctx) => {
  const error = await rejects(ctx.pub.fetchDatabaseChanges(), 'public database changes');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});
