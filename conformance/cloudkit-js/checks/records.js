'use strict';
// Records: save, fetch (desiredKeys), update, conflicts and the server's record, delete, the
// batch builder's operations, per-record errors, record name rules.

const { check, ok, eq, failure, onlyError, noErrors } = require('../harness');

async function saveOne(db, record, options) {
  const response = noErrors(await db.saveRecords([record], options), 'save');
  eq(response.records.length, 1, 'records saved');
  return response.records[0];
}

check('records: saveRecords creates a record with server metadata', async (ctx) => {
  const name = ctx.unique('rec');
  const saved = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { str: { value: 'hello' } } });
  eq(saved.recordName, name, 'recordName');
  eq(saved.recordType, 'Item', 'recordType');
  ok(typeof saved.recordChangeTag === 'string' && saved.recordChangeTag.length > 0, 'a recordChangeTag');
  ok(Number.isInteger(saved.created.timestamp) && Number.isInteger(saved.modified.timestamp), 'created/modified timestamps');
  eq(saved.fields.str, { value: 'hello', type: 'STRING' }, 'the field comes back typed');
});

check('records: saveRecords without recordName gets a server-assigned name', async (ctx) => {
  const saved = await saveOne(ctx.pub, { recordType: 'Item', fields: { str: { value: 'anonymous' } } });
  ok(typeof saved.recordName === 'string' && saved.recordName.length >= 8, `a generated recordName, got ${saved.recordName}`);
});

check('records: fetchRecords returns the saved fields', async (ctx) => {
  const name = ctx.unique('rec');
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { str: { value: 'a' }, num: { value: 7 } } });
  const response = noErrors(await ctx.pub.fetchRecords([name]), 'fetch');
  eq(response.records.map((r) => r.recordName), [name], 'records fetched');
  eq(response.records[0].fields.num, { value: 7, type: 'INT64' }, 'num');
});

check('records: fetchRecords with desiredKeys returns only those fields', async (ctx) => {
  const name = ctx.unique('rec');
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { str: { value: 'a' }, num: { value: 1 }, dbl: { value: 1.5 } } });
  const response = noErrors(await ctx.pub.fetchRecords([name], { desiredKeys: ['num'] }), 'fetch');
  eq(Object.keys(response.records[0].fields), ['num'], 'fields returned');
});

check('records: saveRecords with desiredKeys echoes only those fields', async (ctx) => {
  const saved = await saveOne(ctx.pub, { recordType: 'Item', recordName: ctx.unique('rec'), fields: { str: { value: 'a' }, num: { value: 1 } } }, { desiredKeys: ['str'] });
  eq(Object.keys(saved.fields), ['str'], 'fields echoed');
});

check('records: fetching an unknown record is a per-record NOT_FOUND', async (ctx) => {
  const name = ctx.unique('missing');
  const error = onlyError(await ctx.pub.fetchRecords([name]), 'fetch');
  eq(error.ckErrorCode, 'NOT_FOUND', 'ckErrorCode');
  eq(error.serverErrorCode, 'NOT_FOUND', 'serverErrorCode');
  eq(error.recordName, name, 'recordName');
  ok(error.isServerError, 'isServerError');
});

check('records: update with the current change tag gets a new tag', async (ctx) => {
  const name = ctx.unique('rec');
  const first = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { num: { value: 1 } } });
  const second = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 2 } } });
  ok(second.recordChangeTag !== first.recordChangeTag, 'the change tag changed');
  eq(second.fields.num.value, 2, 'num');
});

check('records: a stale change tag is a CONFLICT and lookup gives the server record', async (ctx) => {
  const name = ctx.unique('rec');
  const first = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { num: { value: 1 } } });
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 2 } } });
  const response = await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 3 } } }]);
  const error = onlyError(response, 'stale update');
  eq(error.ckErrorCode, 'CONFLICT', 'ckErrorCode');
  eq(error.recordName, name, 'recordName');
  const server = noErrors(await ctx.pub.fetchRecords([name]), 'fetch').records[0];
  eq(server.fields.num.value, 2, 'the server record keeps the winning write');
});

check('records: creating an existing record name is EXISTS', async (ctx) => {
  const name = ctx.unique('rec');
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: {} });
  const error = onlyError(await ctx.pub.newRecordsBatch().create([{ recordType: 'Item', recordName: name, fields: {} }]).commit(), 'create');
  eq(error.ckErrorCode, 'EXISTS', 'ckErrorCode');
});

check('records: deleteRecords with the change tag deletes', async (ctx) => {
  const name = ctx.unique('rec');
  const saved = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: {} });
  const response = noErrors(await ctx.pub.deleteRecords([{ recordName: name, recordChangeTag: saved.recordChangeTag }]), 'delete');
  eq(response.records.map((r) => r.recordName), [name], 'deleted records');
  const error = onlyError(await ctx.pub.fetchRecords([name]), 'fetch after delete');
  eq(error.ckErrorCode, 'NOT_FOUND', 'ckErrorCode after delete');
});

check('records: deleteRecords by name (forceDelete) needs no tag', async (ctx) => {
  const name = ctx.unique('rec');
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: {} });
  noErrors(await ctx.pub.deleteRecords([name]), 'delete by name');
  eq(onlyError(await ctx.pub.fetchRecords([name]), 'fetch').ckErrorCode, 'NOT_FOUND', 'after delete');
});

check('records: delete with a stale change tag is a CONFLICT', async (ctx) => {
  const name = ctx.unique('rec');
  const first = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { num: { value: 1 } } });
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 2 } } });
  const error = onlyError(await ctx.pub.newRecordsBatch().delete([{ recordName: name, recordChangeTag: first.recordChangeTag }]).commit(), 'delete');
  eq(error.ckErrorCode, 'CONFLICT', 'ckErrorCode');
});

check('records: forceUpdate ignores a stale change tag', async (ctx) => {
  const name = ctx.unique('rec');
  const first = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { num: { value: 1 }, str: { value: 'kept' } } });
  await saveOne(ctx.pub, { recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 2 } } });
  const response = noErrors(await ctx.pub.newRecordsBatch().forceUpdate([{ recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 3 } } }]).commit(), 'forceUpdate');
  eq(response.records[0].fields.num.value, 3, 'num');
  eq(response.records[0].fields.str && response.records[0].fields.str.value, 'kept', 'an unlisted field is kept');
});

check('records: replace sets unlisted fields to null', async (ctx) => {
  const name = ctx.unique('rec');
  const first = await saveOne(ctx.pub, { recordType: 'Item', recordName: name, fields: { num: { value: 1 }, str: { value: 'gone' } } });
  const response = noErrors(await ctx.pub.newRecordsBatch().replace([{ recordType: 'Item', recordName: name, recordChangeTag: first.recordChangeTag, fields: { num: { value: 5 } } }]).commit(), 'replace');
  eq(response.records[0].fields.num.value, 5, 'num');
  ok(!response.records[0].fields.str || response.records[0].fields.str.value == null, 'str was cleared');
});

check('records: forceReplace creates a missing record', async (ctx) => {
  const name = ctx.unique('rec');
  const response = noErrors(await ctx.pub.newRecordsBatch().forceReplace([{ recordType: 'Item', recordName: name, fields: { num: { value: 9 } } }]).commit(), 'forceReplace');
  eq(response.records[0].recordName, name, 'recordName');
  eq(noErrors(await ctx.pub.fetchRecords([name]), 'fetch').records[0].fields.num.value, 9, 'num');
});

check('records: a batch mixing create, update and forceDelete applies all three', async (ctx) => {
  const [a, b, c] = [ctx.unique('a'), ctx.unique('b'), ctx.unique('c')];
  const saved = noErrors(await ctx.pub.saveRecords([
    { recordType: 'Item', recordName: b, fields: { num: { value: 1 } } },
    { recordType: 'Item', recordName: c, fields: {} },
  ]), 'seed').records;
  const response = noErrors(await ctx.pub.newRecordsBatch()
    .create([{ recordType: 'Item', recordName: a, fields: { num: { value: 1 } } }])
    .update([{ recordType: 'Item', recordName: b, recordChangeTag: saved[0].recordChangeTag, fields: { num: { value: 2 } } }])
    .forceDelete([{ recordName: c }])
    .commit(), 'batch');
  eq(response.records.map((r) => r.recordName), [a, b, c], 'one result per operation, in order');
  eq(response.records[2].deleted, true, 'the delete result is a tombstone');
});

check('records: a non-atomic batch reports per-record errors and keeps the rest', async (ctx) => {
  const [good, taken] = [ctx.unique('good'), ctx.unique('taken')];
  await saveOne(ctx.pub, { recordType: 'Item', recordName: taken, fields: {} });
  const response = await ctx.pub.newRecordsBatch()
    .create([{ recordType: 'Item', recordName: good, fields: {} }, { recordType: 'Item', recordName: taken, fields: {} }])
    .commit();
  eq(response.records.map((r) => r.recordName), [good], 'the good record was saved');
  const error = onlyError(response, 'batch');
  eq([error.ckErrorCode, error.recordName], ['EXISTS', taken], 'the failing record');
});

check('records: a value that does not fit the field type is BAD_REQUEST', async (ctx) => {
  const error = await failure(ctx.pub.saveRecords([{ recordType: 'Item', recordName: ctx.unique('rec'), fields: { num: { value: 'not a number', type: 'INT64' } } }]), 'bad value');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('records: record names longer than 255 characters are refused', async (ctx) => {
  const error = await failure(ctx.pub.saveRecords([{ recordType: 'Item', recordName: ctx.unique('n').padEnd(256, 'n'), fields: {} }]), 'long name');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('records: record names with non-ASCII characters are refused', async (ctx) => {
  const error = await failure(ctx.pub.saveRecords([{ recordType: 'Item', recordName: `${ctx.unique('n')}-é`, fields: {} }]), 'non-ASCII name');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('records: record names starting with an underscore are refused', async (ctx) => {
  const error = await failure(ctx.pub.saveRecords([{ recordType: 'Item', recordName: `_${ctx.unique('n')}`, fields: {} }]), 'underscore name');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('records: createShortGUID gives the record a shortGUID', async (ctx) => {
  const zone = await ctx.sharedZone();
  const saved = await saveOne(ctx.priv, { recordType: 'Note', recordName: ctx.unique('share'), createShortGUID: true, fields: { title: { value: 'shareable' } } }, { zoneID: zone });
  ok(typeof saved.shortGUID === 'string' && saved.shortGUID.length > 0, `a shortGUID, got ${saved.shortGUID}`);
});

check('records: a record saved with a parent reports it', async (ctx) => {
  const zone = await ctx.sharedZone();
  const parent = await saveOne(ctx.priv, { recordType: 'Note', recordName: ctx.unique('parent'), fields: {} }, { zoneID: zone });
  const child = await saveOne(ctx.priv, { recordType: 'Note', recordName: ctx.unique('child'), parent: { recordName: parent.recordName }, fields: {} }, { zoneID: zone });
  eq(child.parent && child.parent.recordName, parent.recordName, 'parent.recordName');
});

check('records: the signed-in user has a Users record in the public database', async (ctx) => {
  const me = await ctx.user.fetchCurrentUserIdentity();
  const response = noErrors(await ctx.userPub.fetchRecords([me.userRecordName]), 'fetch user record');
  eq(response.records[0].recordType, 'Users', 'recordType');
});
