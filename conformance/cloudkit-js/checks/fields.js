'use strict';
// Every field type and every list of it, round-tripped through saveRecords and fetchRecords,
// typed as CloudKit JS users write them and untyped as CloudKit JS sends them by default.

const { check, ok, eq, noErrors } = require('../harness');

async function roundTrip(ctx, fields, options) {
  const name = ctx.unique('fields');
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields }]), 'save');
  return noErrors(await ctx.pub.fetchRecords([name], options), 'fetch').records[0].fields;
}

function typed(field, type, value, expected = value) {
  check(`fields: ${type} round-trips`, async (ctx) => {
    const fields = await roundTrip(ctx, { [field]: { value, type } });
    ok(fields[field], `${field} is present`);
    eq(fields[field].type, type, 'type');
    eq(typeof expected === 'function' ? expected(fields[field].value) : fields[field].value, typeof expected === 'function' ? true : expected, 'value');
  });
}

const loc = { latitude: 52.52, longitude: 13.405 };
const sameRef = (want) => (got) => Array.isArray(want)
  ? got.length === want.length && got.every((r, i) => r.recordName === want[i].recordName && r.action === want[i].action)
  : got.recordName === want.recordName && got.action === want.action;
const sameLoc = (want) => (got) => [].concat(got).every((g, i) => {
  const w = [].concat(want)[i];
  return Math.abs(g.latitude - w.latitude) < 1e-9 && Math.abs(g.longitude - w.longitude) < 1e-9;
});

typed('str', 'STRING', 'héllo wörld ✓');
typed('num', 'INT64', 9007199254740991);
typed('dbl', 'DOUBLE', 2.75);
typed('ts', 'TIMESTAMP', 1700000000123);
typed('bytes', 'BYTES', 'AAEC/w==');
typed('ref', 'REFERENCE', { recordName: 'target-1', action: 'NONE' }, sameRef({ recordName: 'target-1', action: 'NONE' }));
typed('loc', 'LOCATION', loc, sameLoc(loc));
typed('strs', 'STRING_LIST', ['a', 'b', 'a']);
typed('nums', 'INT64_LIST', [3, -1, 0]);
typed('dbls', 'DOUBLE_LIST', [0.5, 1.25]);
typed('tss', 'TIMESTAMP_LIST', [1, 1700000000000]);
typed('bytesList', 'BYTES_LIST', ['AQ==', 'AgM=']);
typed('refs', 'REFERENCE_LIST', [{ recordName: 'r1', action: 'NONE' }, { recordName: 'r2', action: 'NONE' }],
  sameRef([{ recordName: 'r1', action: 'NONE' }, { recordName: 'r2', action: 'NONE' }]));
typed('locs', 'LOCATION_LIST', [loc, { latitude: -33.9, longitude: 151.2 }], sameLoc([loc, { latitude: -33.9, longitude: 151.2 }]));

check('fields: a DOUBLE with an integral value stays DOUBLE when typed', async (ctx) => {
  const fields = await roundTrip(ctx, { dbl: { value: 2, type: 'DOUBLE' } });
  eq(fields.dbl, { value: 2, type: 'DOUBLE' }, 'dbl');
});

check('fields: untyped values are typed by the schema (what CloudKit JS sends)', async (ctx) => {
  const fields = await roundTrip(ctx, {
    str: { value: 'plain' },
    num: { value: 42 },
    dbl: { value: 3 },
    strs: { value: ['x', 'y'] },
    loc: { value: loc },
  });
  eq([fields.str.type, fields.num.type, fields.dbl.type, fields.strs.type, fields.loc.type],
    ['STRING', 'INT64', 'DOUBLE', 'STRING_LIST', 'LOCATION'], 'types');
  eq(fields.dbl.value, 3, 'dbl value');
});

check('fields: a JavaScript Date is stored as TIMESTAMP milliseconds', async (ctx) => {
  const fields = await roundTrip(ctx, { ts: { value: new Date(1700000000123), type: 'TIMESTAMP' } });
  eq(fields.ts, { value: 1700000000123, type: 'TIMESTAMP' }, 'ts');
});

check('fields: an untyped BYTES value (base64 text) is stored as BYTES', async (ctx) => {
  const fields = await roundTrip(ctx, { bytes: { value: 'AAEC/w==' } });
  eq(fields.bytes, { value: 'AAEC/w==', type: 'BYTES' }, 'bytes');
});

check('fields: an empty list comes back as an empty list', async (ctx) => {
  const fields = await roundTrip(ctx, { strs: { value: [], type: 'STRING_LIST' } });
  ok(fields.strs, 'strs is present');
  eq(fields.strs.value, [], 'value');
});

check('fields: a null value clears the field', async (ctx) => {
  const name = ctx.unique('fields');
  const saved = noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields: { str: { value: 'x' }, num: { value: 1 } } }]), 'save').records[0];
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, recordChangeTag: saved.recordChangeTag, fields: { str: { value: null } } }]), 'clear');
  const fields = noErrors(await ctx.pub.fetchRecords([name]), 'fetch').records[0].fields;
  ok(!fields.str || fields.str.value == null, `str is cleared, got ${JSON.stringify(fields.str)}`);
  eq(fields.num.value, 1, 'num is kept');
});

check('fields: numbersAsStrings returns INT64 values as strings', async (ctx) => {
  const fields = await roundTrip(ctx, { num: { value: 1234567890123, type: 'INT64' } }, { numbersAsStrings: true });
  eq(fields.num.value, '1234567890123', 'num');
});
