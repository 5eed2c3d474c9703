'use strict';
// Queries: every comparator CloudKit JS defines, system fields, sorts (distance too), paging
// through several pages with the continuation marker and with the previous response.

const { check, ok, eq, sorted, rejects, noErrors } = require('../harness');

// Five records of one group (unique to the run), so that every query is confined to them.
const ROWS = {
  q1: { str: 'apple pie', num: 1, dbl: 1.5, ts: 1000, strs: ['red', 'green'], nums: [1, 2], loc: [0, 0], ref: 'refA' },
  q2: { str: 'apple tart', num: 2, dbl: 2.5, ts: 2000, strs: ['green'], nums: [2, 3], loc: [0, 0.01], ref: 'refB' },
  q3: { str: 'banana split', num: 3, dbl: 3.5, ts: 3000, strs: ['blue', 'red'], nums: [3], loc: [0, 0.1], ref: 'refA' },
  q4: { str: 'cherry pie', num: 4, dbl: 4.5, ts: 4000, strs: ['purple'], nums: [4], loc: [0, 1], ref: 'refB' },
  q5: { str: 'date', num: 5, dbl: 5.5, ts: 5000, strs: ['yellow'], nums: [5], loc: [10, 10], ref: 'refA' },
};

let seeded = null;

async function seed(ctx) {
  if (seeded) return seeded;
  const group = ctx.unique('group');
  const names = {};
  const records = Object.entries(ROWS).map(([label, row]) => {
    names[label] = `${group}-${label}`;
    return {
      recordType: 'Item',
      recordName: names[label],
      fields: {
        group: { value: group },
        str: { value: row.str },
        num: { value: row.num, type: 'INT64' },
        dbl: { value: row.dbl, type: 'DOUBLE' },
        ts: { value: row.ts, type: 'TIMESTAMP' },
        strs: { value: row.strs, type: 'STRING_LIST' },
        nums: { value: row.nums, type: 'INT64_LIST' },
        loc: { value: { latitude: row.loc[0], longitude: row.loc[1] }, type: 'LOCATION' },
        ref: { value: { recordName: `${group}-${row.ref}`, action: 'NONE' }, type: 'REFERENCE' },
      },
    };
  });
  noErrors(await ctx.pub.saveRecords(records), 'seed');
  seeded = { group, names };
  return seeded;
}

function labels(data, records) {
  const byName = Object.fromEntries(Object.entries(data.names).map(([l, n]) => [n, l]));
  return records.map((r) => byName[r.recordName] || r.recordName);
}

function query(data, filters, sortBy) {
  const q = { recordType: 'Item', filterBy: [{ fieldName: 'group', comparator: 'EQUALS', fieldValue: { value: data.group, type: 'STRING' } }, ...filters] };
  if (sortBy) q.sortBy = sortBy;
  return q;
}

function comparator(comparatorName, fieldName, fieldValue, expected, extra = {}) {
  check(`query: ${comparatorName} on ${fieldValue.type || 'untyped'} ${fieldName}`, async (ctx) => {
    const data = await seed(ctx);
    const response = noErrors(await ctx.pub.performQuery(query(data, [{ fieldName, comparator: comparatorName, fieldValue, ...extra }])), 'query');
    eq(sorted(labels(data, response.records)), expected, 'records matched');
  });
}

comparator('EQUALS', 'num', { value: 3, type: 'INT64' }, ['q3']);
comparator('NOT_EQUALS', 'num', { value: 3, type: 'INT64' }, ['q1', 'q2', 'q4', 'q5']);
comparator('LESS_THAN', 'num', { value: 3, type: 'INT64' }, ['q1', 'q2']);
comparator('LESS_THAN_OR_EQUALS', 'dbl', { value: 2.5, type: 'DOUBLE' }, ['q1', 'q2']);
comparator('GREATER_THAN', 'ts', { value: 3000, type: 'TIMESTAMP' }, ['q4', 'q5']);
comparator('GREATER_THAN_OR_EQUALS', 'num', { value: 4, type: 'INT64' }, ['q4', 'q5']);
comparator('NEAR', 'loc', { value: { latitude: 0, longitude: 0 }, type: 'LOCATION' }, ['q1', 'q2'], { distance: 2000 });
comparator('CONTAINS_ALL_TOKENS', 'str', { value: 'pie apple', type: 'STRING' }, ['q1']);
comparator('CONTAINS_ANY_TOKENS', 'str', { value: 'pie split', type: 'STRING' }, ['q1', 'q3', 'q4']);
comparator('IN', 'num', { value: [2, 4], type: 'INT64_LIST' }, ['q2', 'q4']);
comparator('NOT_IN', 'num', { value: [2, 4], type: 'INT64_LIST' }, ['q1', 'q3', 'q5']);
comparator('BEGINS_WITH', 'str', { value: 'apple', type: 'STRING' }, ['q1', 'q2']);
comparator('NOT_BEGINS_WITH', 'str', { value: 'apple', type: 'STRING' }, ['q3', 'q4', 'q5']);
comparator('LIST_CONTAINS', 'strs', { value: 'red', type: 'STRING' }, ['q1', 'q3']);
comparator('NOT_LIST_CONTAINS', 'strs', { value: 'red', type: 'STRING' }, ['q2', 'q4', 'q5']);
comparator('LIST_CONTAINS_ANY', 'strs', { value: ['blue', 'yellow'], type: 'STRING_LIST' }, ['q3', 'q5']);
comparator('NOT_LIST_CONTAINS_ANY', 'strs', { value: ['red', 'green'], type: 'STRING_LIST' }, ['q4', 'q5']);
comparator('LIST_CONTAINS_ALL', 'strs', { value: ['red', 'green'], type: 'STRING_LIST' }, ['q1']);
comparator('NOT_LIST_CONTAINS_ALL', 'strs', { value: ['red', 'green'], type: 'STRING_LIST' }, ['q2', 'q3', 'q4', 'q5']);
comparator('LIST_MEMBER_BEGINS_WITH', 'strs', { value: 'gre', type: 'STRING' }, ['q1', 'q2']);
comparator('NOT_LIST_MEMBER_BEGINS_WITH', 'strs', { value: 'gre', type: 'STRING' }, ['q3', 'q4', 'q5']);
comparator('LIST_CONTAINS', 'nums', { value: 3, type: 'INT64' }, ['q2', 'q3']);

check('query: EQUALS on a REFERENCE field', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [{ fieldName: 'ref', comparator: 'EQUALS', fieldValue: { value: { recordName: `${data.group}-refA` }, type: 'REFERENCE' } }])), 'query');
  eq(sorted(labels(data, response.records)), ['q1', 'q3', 'q5'], 'records matched');
});

check('query: untyped filter values (as CloudKit JS sends them)', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [
    { fieldName: 'str', comparator: 'BEGINS_WITH', fieldValue: { value: 'apple' } },
    { fieldName: 'num', comparator: 'GREATER_THAN', fieldValue: { value: 1 } },
  ])), 'query');
  eq(sorted(labels(data, response.records)), ['q2'], 'records matched');
});

check('query: system field recordName EQUALS a reference', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [{ systemFieldName: 'recordName', comparator: 'EQUALS', fieldValue: { value: { recordName: data.names.q2 }, type: 'REFERENCE' } }])), 'query');
  eq(labels(data, response.records), ['q2'], 'records matched');
});

check('query: sort descending by an INT64 field', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [], [{ fieldName: 'num', ascending: false }])), 'query');
  eq(labels(data, response.records), ['q5', 'q4', 'q3', 'q2', 'q1'], 'order');
});

check('query: sort by distance from a location', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [], [{ fieldName: 'loc', relativeLocation: { value: { latitude: 10, longitude: 10 }, type: 'LOCATION' } }])), 'query');
  eq(labels(data, response.records), ['q5', 'q4', 'q3', 'q2', 'q1'], 'nearest first');
});

check('query: sort by the system field createdTimestamp', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [], [{ systemFieldName: 'createdTimestamp', ascending: true }])), 'query');
  eq(response.records.length, 5, 'records');
});

check('query: desiredKeys limits the fields of the results', async (ctx) => {
  const data = await seed(ctx);
  const response = noErrors(await ctx.pub.performQuery(query(data, [{ fieldName: 'num', comparator: 'EQUALS', fieldValue: { value: 1, type: 'INT64' } }]), { desiredKeys: ['str'] }), 'query');
  eq(Object.keys(response.records[0].fields), ['str'], 'fields');
});

check('query: pages with resultsLimit and continuationMarker, moreComing until the end', async (ctx) => {
  const data = await seed(ctx);
  const q = query(data, [], [{ fieldName: 'num', ascending: true }]);
  const seen = [];
  let marker = null;
  const more = [];
  for (let page = 0; page < 5; page += 1) {
    const options = { resultsLimit: 2 };
    if (marker) options.continuationMarker = marker;
    const response = noErrors(await ctx.pub.performQuery(q, options), `page ${page + 1}`);
    seen.push(...labels(data, response.records));
    more.push(response.moreComing);
    marker = response.continuationMarker;
    if (!response.moreComing) break;
  }
  eq(seen, ['q1', 'q2', 'q3', 'q4', 'q5'], 'records over all pages');
  eq(more, [true, true, false], 'moreComing per page');
});

check('query: the next page from the previous QueryResponse', async (ctx) => {
  const data = await seed(ctx);
  const first = noErrors(await ctx.pub.performQuery(query(data, [], [{ fieldName: 'num', ascending: true }]), { resultsLimit: 2 }), 'page 1');
  ok(first.moreComing, 'page 1 has moreComing');
  const second = noErrors(await ctx.pub.performQuery(first), 'page 2');
  eq(labels(data, second.records), ['q3', 'q4'], 'page 2');
  const third = noErrors(await ctx.pub.performQuery(second), 'page 3');
  eq([labels(data, third.records), third.moreComing], [['q5'], false], 'page 3');
});

check('query: a filter on a field without a QUERYABLE index is BAD_REQUEST', async (ctx) => {
  const error = await rejects(ctx.pub.performQuery({ recordType: 'Item', filterBy: [{ fieldName: 'bytesList', comparator: 'LIST_CONTAINS', fieldValue: { value: 'AQ==', type: 'BYTES' } }] }), 'query');
  eq(error.ckErrorCode, 'BAD_REQUEST', 'ckErrorCode');
});

check('query: zoneWide searches every zone of the private database', async (ctx) => {
  const [z1, z2] = [await ctx.privateZone('wide1'), await ctx.privateZone('wide2')];
  const title = ctx.unique('wide');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: ctx.unique('w'), fields: { title: { value: title } } }], { zoneID: z1 }), 'save 1');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: ctx.unique('w'), fields: { title: { value: title } } }], { zoneID: z2 }), 'save 2');
  const response = noErrors(await ctx.priv.performQuery({ recordType: 'Note', filterBy: [{ fieldName: 'title', comparator: 'EQUALS', fieldValue: { value: title } }] }, { zoneWide: true }), 'query');
  eq(response.records.length, 2, 'records from both zones');
});
