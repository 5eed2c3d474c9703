'use strict';
// User identity and discovery, and the web auth token rotation CloudKit JS relies on.

const { check, ok, eq, rejects } = require('../harness');

check('users: setUpAuth with a server key resolves to the key identity', async (ctx) => {
  const identity = await ctx.s2s.setUpAuth();
  ok(identity && /^_/.test(identity.userRecordName), `a user record name, got ${JSON.stringify(identity)}`);
});

check('users: fetchCurrentUserIdentity names the signed-in user', async (ctx) => {
  const me = await ctx.user.fetchCurrentUserIdentity();
  ok(/^_/.test(me.userRecordName), 'userRecordName starts with _');
  eq(me.nameComponents && me.nameComponents.givenName, 'Alice', 'givenName');
});

check('users: two signed-in users have different identities', async (ctx) => {
  const alice = await ctx.user.fetchCurrentUserIdentity();
  const bob = await ctx.asUser('bob', () => ctx.user.fetchCurrentUserIdentity());
  ok(alice.userRecordName !== bob.userRecordName, 'different userRecordNames');
});

check('users: discoverUserIdentityWithEmailAddress finds a discoverable user', async (ctx) => {
  const response = await ctx.user.discoverUserIdentityWithEmailAddress('bob@example.com');
  eq(response.users.length, 1, 'users');
  eq(response.users[0].nameComponents.familyName, 'Baker', 'familyName');
});

check('users: discoverUserIdentityWithPhoneNumber finds a discoverable user', async (ctx) => {
  const response = await ctx.user.discoverUserIdentityWithPhoneNumber('+15550100002');
  eq(response.users.map((u) => u.nameComponents.givenName), ['Bob'], 'users');
});

check('users: discoverUserIdentityWithUserRecordName finds a user', async (ctx) => {
  const bob = await ctx.asUser('bob', () => ctx.user.fetchCurrentUserIdentity());
  const response = await ctx.user.discoverUserIdentityWithUserRecordName(bob.userRecordName);
  eq(response.users.map((u) => u.userRecordName), [bob.userRecordName], 'users');
});

check('users: discoverAllUserIdentities lists discoverable users only', async (ctx) => {
  const response = await ctx.user.discoverAllUserIdentities();
  const names = response.users.map((u) => u.nameComponents && u.nameComponents.givenName);
  ok(names.includes('Bob'), `Bob listed in ${names}`);
  ok(!names.includes('Carol'), 'Carol (not discoverable) left out');
});

check('users: discovery with a server-to-server key is AUTHENTICATION_FAILED', async (ctx) => {
  const error = await rejects(ctx.s2s.discoverUserIdentityWithEmailAddress('bob@example.com'), 'discover');
  eq(error.ckErrorCode, 'AUTHENTICATION_FAILED', 'ckErrorCode');
});

check('users: every response rotates the web auth token into the token store', async (ctx) => {
  const before = ctx.tokens.alice;
  await ctx.priv.fetchAllRecordZones();
  ok(ctx.tokens.alice && ctx.tokens.alice !== before, 'a new token was stored');
  await ctx.priv.fetchAllRecordZones();
});
