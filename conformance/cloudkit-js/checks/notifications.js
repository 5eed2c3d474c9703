'use strict';
// Notifications: registerForNotifications (tokens/create) and the web courier long poll that
// CloudKit JS parks on, delivering query, zone and database notifications to listeners.

const { check, ok, eq, noErrors } = require('../harness');

const received = [];
let registered = null;

async function register(ctx) {
  if (!registered) {
    registered = ctx.user.registerForNotifications().then((container) => {
      container.addNotificationListener((n) => received.push(n));
      return container;
    });
  }
  return registered;
}

/** Waits until a notification satisfies `match` (they arrive through the long poll). */
async function waitFor(match, what, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = received.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no notification ${what} within ${ms / 1000} s (got ${received.length} others)`);
}

// Each fixture has its own firesOn set: CloudKit keeps one query subscription per (record type,
// firesOn) (spec §3.18). The subscription is deleted afterwards, so that the suite can run again
// against the same emulator.
async function withQuerySubscription(ctx, firesOn, notificationInfo, fn) {
  await register(ctx);
  const group = ctx.unique('notify');
  const id = ctx.unique('nsub');
  noErrors(await ctx.userPub.saveSubscriptions([{
    subscriptionID: id,
    subscriptionType: 'query',
    query: { recordType: 'Item', filterBy: [{ fieldName: 'group', comparator: 'EQUALS', fieldValue: { value: group } }] },
    firesOn,
    notificationInfo,
  }]), 'subscribe');
  try {
    await fn({ group, id });
  } finally {
    await ctx.userPub.deleteSubscriptions([id]);
  }
}

check('notifications: registerForNotifications registers the container', async (ctx) => {
  const container = await register(ctx);
  eq(container.isRegisteredForNotifications, true, 'isRegisteredForNotifications');
});

check('notifications: a query subscription delivers a QueryNotification on create', async (ctx) => {
  await withQuerySubscription(ctx, ['create', 'update'], { alertBody: 'an item changed', shouldBadge: true }, async ({ group, id }) => {
    const name = ctx.unique('hit');
    noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields: { group: { value: group } } }]), 'save');
    const n = await waitFor((x) => x.subscriptionID === id, `for ${id}`);
    ok(n.isQueryNotification, 'isQueryNotification');
    eq(n.recordName, name, 'recordName');
    eq(n.queryNotificationReason, 'QUERY_NOTIFICATION_REASON_RECORD_CREATED', 'queryNotificationReason');
    eq(n.containerIdentifier, ctx.config.container, 'containerIdentifier');
    eq(n.isPublicDatabase, true, 'isPublicDatabase');
  });
});

check('notifications: a query notification carries the subscription notificationInfo', async (ctx) => {
  await withQuerySubscription(ctx, ['create', 'delete'], { alertBody: 'hello from the subscription', soundName: 'ping.aiff', shouldBadge: true }, async ({ group, id }) => {
    noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: ctx.unique('hit'), fields: { group: { value: group } } }]), 'save');
    const n = await waitFor((x) => x.subscriptionID === id, `for ${id}`);
    eq([n.alertBody, n.soundName], ['hello from the subscription', 'ping.aiff'], 'alertBody and soundName');
  });
});

check('notifications: deleting a matching record notifies with the delete reason', async (ctx) => {
  await withQuerySubscription(ctx, ['create', 'update', 'delete'], { shouldSendContentAvailable: true }, async ({ group, id }) => {
    const name = ctx.unique('gone');
    noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields: { group: { value: group } } }]), 'save');
    await waitFor((x) => x.subscriptionID === id, 'for the create');
    noErrors(await ctx.pub.deleteRecords([name]), 'delete');
    const n = await waitFor((x) => x.subscriptionID === id && x.queryNotificationReason === 'QUERY_NOTIFICATION_REASON_RECORD_DELETED', 'for the delete');
    eq(n.recordName, name, 'recordName');
  });
});

check('notifications: a zone subscription delivers a RecordZoneNotification', async (ctx) => {
  await register(ctx);
  const zoneID = await ctx.privateZone('notified');
  const id = ctx.unique('zsub');
  noErrors(await ctx.priv.saveSubscriptions([{ subscriptionID: id, subscriptionType: 'zone', zoneID }]), 'subscribe');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: ctx.unique('z'), fields: {} }], { zoneID }), 'save');
  const n = await waitFor((x) => x.subscriptionID === id, `for ${id}`);
  ok(n.isRecordZoneNotification, 'isRecordZoneNotification');
  eq(n.zoneID && n.zoneID.zoneName, zoneID.zoneName, 'zoneID');
});

check('notifications: a database subscription fires on a change in any zone', async (ctx) => {
  await register(ctx);
  const id = ctx.unique('dbsub');
  noErrors(await ctx.priv.saveSubscriptions([{ subscriptionID: id, subscriptionType: 'database' }]), 'subscribe');
  const zoneID = await ctx.privateZone('dbnotified');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: ctx.unique('d'), fields: {} }], { zoneID }), 'save');
  await waitFor((x) => x.subscriptionID === id, `for ${id}`, 5000);
});
