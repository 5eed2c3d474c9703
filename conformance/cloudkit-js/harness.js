'use strict';
// The check harness: how checks are declared, the assertions they use, and the run that prints
// TAP-like lines. Known divergences (known-divergences.json) are reported as expected failures;
// one that starts passing is a failure, so the list only shrinks.

const checks = [];

/** Declares a check: a name unique in the suite and an async function that throws on failure. */
function check(name, fn) {
  if (checks.some((c) => c.name === name)) {
    throw new Error(`duplicate check name: ${name}`);
  }
  checks.push({ name, fn });
}

class CheckFailed extends Error {}

function show(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch (_) {
    return String(value);
  }
}

/** Fails unless `condition` holds. */
function ok(condition, what) {
  if (!condition) throw new CheckFailed(what);
}

/** Fails unless `actual` is `expected` (JSON-equal). */
function eq(actual, expected, what) {
  if (show(actual) !== show(expected)) {
    throw new CheckFailed(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Sorted copy, for comparing sets of record names. */
function sorted(list) {
  return [...list].sort();
}

/** Awaits a CloudKit JS promise that must reject, and returns the CKError it rejected with. */
async function rejects(promise, what) {
  let value;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new CheckFailed(`${what}: expected a rejection, got ${show(value)}`);
}

/**
 * The one per-item error of a response: CloudKit JS resolves with `hasErrors` and puts the
 * per-record (zone, subscription) errors in `errors`.
 */
function onlyError(response, what) {
  ok(response && response.hasErrors, `${what}: expected a per-item error, got none`);
  eq(response.errors.length, 1, `${what}: number of errors`);
  return response.errors[0];
}

/**
 * The error of an operation that must fail, whether CloudKit answers it as a whole-request
 * error (the promise rejects) or as the one per-item error of a 200 response.
 */
async function failure(promise, what) {
  let response;
  try {
    response = await promise;
  } catch (error) {
    return error;
  }
  return onlyError(response, what);
}

/** Fails when a response carries per-item errors. */
function noErrors(response, what) {
  if (response.hasErrors) {
    const errors = response.errors.map((e) => `${e.serverErrorCode || e.ckErrorCode}: ${e.reason}`);
    throw new CheckFailed(`${what}: unexpected errors ${show(errors)}`);
  }
  return response;
}

function describe(error) {
  if (error instanceof CheckFailed) return error.message;
  if (error && error.isCKError) {
    return `CKError ${error.ckErrorCode} (${error.serverErrorCode || '-'}): ${error.reason}`;
  }
  return String(error && error.stack ? error.stack.split('\n').slice(0, 2).join(' ') : error);
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every declared check in order and prints one line each, then the counts. Returns
 * the number of unexpected failures.
 */
async function run(ctx, known, out = console.log) {
  let passed = 0;
  let failed = 0;
  let expected = 0;
  let n = 0;
  for (const { name, fn } of checks) {
    n += 1;
    let error = null;
    try {
      await withTimeout(Promise.resolve().then(() => fn(ctx)), 30000);
    } catch (e) {
      error = e;
    }
    const divergence = known[name];
    if (error && divergence) {
      expected += 1;
      out(`not ok ${n} - ${name} # expected failure (known divergence: ${divergence}): ${describe(error)}`);
    } else if (error) {
      failed += 1;
      out(`not ok ${n} - ${name}: ${describe(error)}`);
    } else if (divergence) {
      failed += 1;
      out(`not ok ${n} - ${name}: now passes: remove it from known-divergences.json`);
    } else {
      passed += 1;
      out(`ok ${n} - ${name}`);
    }
  }
  for (const name of Object.keys(known)) {
    if (!checks.some((c) => c.name === name)) {
      failed += 1;
      out(`not ok - known-divergences.json names no check: ${name}`);
    }
  }
  out(`1..${n}`);
  out(`${expected} expected failures (known divergences, see docs/fidelity.md)`);
  out(`${passed} passed, ${failed} failed`);
  return failed;
}

module.exports = { check, ok, eq, sorted, rejects, failure, onlyError, noErrors, run, CheckFailed };
