'use strict';
// Assets: CloudKit JS uploads a Buffer field value itself (assets/upload, then the bytes to the
// upload URL, then records/modify with the receipt); the saved record's downloadURL serves the
// bytes back. A value naming another record's asset field is rereferenced.

const { check, ok, eq, noErrors } = require('../harness');

async function download(asset) {
  ok(asset && typeof asset.downloadURL === 'string', `a downloadURL, got ${JSON.stringify(asset)}`);
  const url = asset.downloadURL.replace('${f}', 'file.bin');
  const response = await fetch(url);
  eq(response.status, 200, `GET ${url}`);
  return Buffer.from(await response.arrayBuffer());
}

check('assets: a Buffer field value is uploaded and saved as ASSETID', async (ctx) => {
  const bytes = Buffer.from(`asset bytes ${ctx.run}\n`);
  const saved = noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: ctx.unique('asset'), fields: { asset: { value: bytes } } }]), 'save').records[0];
  eq(saved.fields.asset.type, 'ASSETID', 'type');
  eq(saved.fields.asset.value.size, bytes.length, 'size');
});

check('assets: the downloadURL of a fetched asset serves the uploaded bytes', async (ctx) => {
  // CloudKit JS 2.6.4 in Node uploads `buffer.toString()` (UTF-8), so only text survives it.
  const bytes = Buffer.from(`line one\nline two ✓ ${ctx.run}\n`);
  const name = ctx.unique('asset');
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields: { asset: { value: bytes } } }]), 'save');
  const fetched = noErrors(await ctx.pub.fetchRecords([name]), 'fetch').records[0];
  ok(typeof fetched.fields.asset.value.fileChecksum === 'string', 'a fileChecksum');
  eq((await download(fetched.fields.asset.value)).toString('hex'), bytes.toString('hex'), 'downloaded bytes');
});

check('assets: an ASSETID_LIST of Buffers uploads every element', async (ctx) => {
  const name = ctx.unique('assets');
  const parts = [Buffer.from('first'), Buffer.from('second')];
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: name, fields: { assets: { value: parts } } }]), 'save');
  const fetched = noErrors(await ctx.pub.fetchRecords([name]), 'fetch').records[0];
  eq(fetched.fields.assets.type, 'ASSETID_LIST', 'type');
  const texts = [];
  for (const asset of fetched.fields.assets.value) texts.push((await download(asset)).toString());
  eq(texts, ['first', 'second'], 'downloaded elements');
});

check('assets: an asset in the private database round-trips', async (ctx) => {
  const zoneID = await ctx.privateZone('assets');
  const name = ctx.unique('attach');
  noErrors(await ctx.priv.saveRecords([{ recordType: 'Note', recordName: name, fields: { attachment: { value: Buffer.from('private bytes') } } }], { zoneID }), 'save');
  const fetched = noErrors(await ctx.priv.fetchRecords([name], { zoneID }), 'fetch').records[0];
  eq((await download(fetched.fields.attachment.value)).toString(), 'private bytes', 'downloaded');
});

check('assets: a value naming another record\'s asset field is rereferenced', async (ctx) => {
  const source = ctx.unique('src');
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: source, fields: { asset: { value: Buffer.from('shared bytes') } } }]), 'save source');
  const copy = ctx.unique('copy');
  noErrors(await ctx.pub.saveRecords([{ recordType: 'Item', recordName: copy, fields: { asset: { value: { recordName: source, fieldName: 'asset' } } } }]), 'save copy');
  const fetched = noErrors(await ctx.pub.fetchRecords([copy]), 'fetch').records[0];
  eq((await download(fetched.fields.asset.value)).toString(), 'shared bytes', 'downloaded');
});
