'use strict';
// Subscriptions: query and zone subscriptions saved, listed, fetched and deleted.

const { check, ok, eq, onlyError, noErrors } = require('../harness');

// CloudKit keeps one query subscription per (record type, firesOn set) and database user
// (spec §3.18, live behaviour): each check here uses its own firesOn set.
function querySubscription(ctx, id, firesOn) {
  return {
    subscriptionID: id,
    subscriptionType: 'query',
    query: { recordType: 'Item', filterBy: [{ fieldName: 'group', comparator: 'EQUALS', fieldValue: { value: ctx.unique('sub') } }] },
    firesOn,
    notificationInfo: { alertBody: 'changed', shouldBadge: true },
  };
}

check('subscriptions: saveSubscriptions creates a query subscription', async (ctx) => {
  const id = ctx.unique('qsub');
  const response = noErrors(await ctx.userPub.saveSubscriptions([querySubscription(ctx, id, ['create'])]), 'save');
  eq(response.subscriptions[0].subscriptionID, id, 'subscriptionID');
  eq(response.subscriptions[0].subscriptionType, 'query', 'subscriptionType');
  eq(response.subscriptions[0].query.recordType, 'Item', 'query.recordType');
  noErrors(await ctx.userPub.deleteSubscriptions([id]), 'clean up');
});

check('subscriptions: saveSubscriptions creates a zone subscription', async (ctx) => {
  const zoneID = await ctx.privateZone('subzone');
  const id = ctx.unique('zsub');
  const response = noErrors(await ctx.priv.saveSubscriptions([{ subscriptionID: id, subscriptionType: 'zone', zoneID }]), 'save');
  eq(response.subscriptions[0].subscriptionType, 'zone', 'subscriptionType');
  eq(response.subscriptions[0].zoneID && response.subscriptions[0].zoneID.zoneName, zoneID.zoneName, 'zoneID');
});

check('subscriptions: fetchAllSubscriptions and fetchSubscriptions find a saved one', async (ctx) => {
  const id = ctx.unique('qsub');
  noErrors(await ctx.userPub.saveSubscriptions([querySubscription(ctx, id, ['update'])]), 'save');
  const all = noErrors(await ctx.userPub.fetchAllSubscriptions(), 'list').subscriptions.map((s) => s.subscriptionID);
  ok(all.includes(id), 'listed');
  const one = noErrors(await ctx.userPub.fetchSubscriptions([id]), 'lookup');
  eq(one.subscriptions.map((s) => s.subscriptionID), [id], 'fetched');
  noErrors(await ctx.userPub.deleteSubscriptions([id]), 'clean up');
});

check('subscriptions: fetching an unknown subscription is a per-item NOT_FOUND', async (ctx) => {
  const id = ctx.unique('nosub');
  const error = onlyError(await ctx.userPub.fetchSubscriptions([id]), 'lookup');
  eq(error.ckErrorCode, 'NOT_FOUND', 'ckErrorCode');
  eq(error.subscriptionID, id, 'subscriptionID');
});

check('subscriptions: deleteSubscriptions removes a subscription', async (ctx) => {
  const id = ctx.unique('qsub');
  noErrors(await ctx.userPub.saveSubscriptions([querySubscription(ctx, id, ['delete'])]), 'save');
  const response = noErrors(await ctx.userPub.deleteSubscriptions([id]), 'delete');
  eq(response.subscriptions.map((s) => s.subscriptionID), [id], 'deleted');
  eq(onlyError(await ctx.userPub.fetchSubscriptions([id]), 'lookup').ckErrorCode, 'NOT_FOUND', 'after delete');
});

check('subscriptions: a second query subscription with the same type and firesOn is refused', async (ctx) => {
  const sub = (id) => ({ subscriptionID: id, subscriptionType: 'query', query: { recordType: 'Note' }, firesOn: ['update', 'delete'] });
  const first = ctx.unique('first');
  noErrors(await ctx.userPub.saveSubscriptions([sub(first)]), 'first');
  try {
    const error = onlyError(await ctx.userPub.saveSubscriptions([sub(ctx.unique('second'))]), 'second');
    eq(error.ckErrorCode, 'INTERNAL_ERROR', 'ckErrorCode');
  } finally {
    await ctx.userPub.deleteSubscriptions([first]);
  }
});

check('subscriptions: a database subscription can be saved', async (ctx) => {
  const id = ctx.unique('dbsub');
  const response = noErrors(await ctx.priv.saveSubscriptions([{ subscriptionID: id, subscriptionType: 'database' }]), 'save');
  eq(response.subscriptions[0].subscriptionType, 'database', 'subscriptionType');
});
