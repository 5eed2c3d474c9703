'use strict';
// What went over the wire during the run: only to the emulators, with CloudKit JS's parameters.

const { check, ok } = require('../harness');

check('transport: every request went to an emulator, none to Apple', async (ctx) => {
  const hosts = [ctx.config.baseUrl, ctx.config.throttledUrl, ctx.config.restartedUrl];
  const elsewhere = ctx.requests.filter((r) => !hosts.some((h) => r.url.startsWith(`${h}/`)));
  ok(ctx.requests.length > 50, `requests were made (${ctx.requests.length})`);
  ok(elsewhere.length === 0, `requests elsewhere: ${elsewhere.map((r) => r.url).slice(0, 3)}`);
});

check('transport: database requests carry ckjsVersion=2.6.4', async (ctx) => {
  const database = ctx.requests.filter((r) => r.url.includes('/database/1/'));
  ok(database.length > 0, 'database requests were made');
  ok(database.every((r) => r.url.includes('ckjsVersion=2.6.4')), 'ckjsVersion on every database request');
});
