'use strict';
// What every check gets: CloudKit JS configured through its public API only, pointed at the
// emulator. A `services.fetch` wrapper rewrites `https://api.apple-cloudkit.com` to the
// emulator's base URL (every module: database, users, device tokens); the other emulators of
// the run are reached through the container config's `publicDatabasePartition` /
// `privateDatabasePartition`. A `services.authTokenStore` holds the web auth tokens of the
// signed-in test users (CloudKit JS stores the rotated token there after every response).

const APPLE = 'https://api.apple-cloudkit.com';

function need(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set (see conformance/cloudkit-js/README.md)`);
  }
  return value;
}

function readConfig() {
  return {
    lib: need('CKJS_LIB'),
    baseUrl: need('CKJS_BASE_URL').replace(/\/$/, ''),
    container: need('CKJS_CONTAINER'),
    apiToken: need('CKJS_API_TOKEN'),
    keyId: need('CKJS_KEY_ID'),
    keyFile: need('CKJS_KEY_FILE'),
    otherKeyFile: need('CKJS_OTHER_KEY_FILE'),
    tokens: { alice: need('CKJS_ALICE_TOKEN'), bob: need('CKJS_BOB_TOKEN') },
    throttledUrl: need('CKJS_THROTTLED_URL').replace(/\/$/, ''),
    throttledContainer: need('CKJS_THROTTLED_CONTAINER'),
    restartedUrl: need('CKJS_RESTARTED_URL').replace(/\/$/, ''),
    restartedToken: need('CKJS_RESTARTED_TOKEN'),
  };
}

const quiet = { info() {}, log() {}, warn() {}, error() {} };

/**
 * Configures CloudKit JS and returns the context the checks use. A server-key container reads
 * its key in `setUpAuth()`, CloudKit JS's documented first call, so that is awaited here.
 */
async function makeContext() {
  const config = readConfig();
  const CloudKit = require(config.lib);
  const requests = [];
  const tokens = { ...config.tokens, restarted: config.restartedToken };
  const state = { user: 'alice' };

  const fetchService = (url, init) => {
    const target = String(url).startsWith(APPLE) ? config.baseUrl + String(url).slice(APPLE.length) : String(url);
    requests.push({ url: target, method: (init && init.method) || 'GET' });
    return fetch(target, init);
  };
  const services = {
    fetch: fetchService,
    logger: process.env.CKJS_LOG ? console : quiet,
    authTokenStore: {
      getToken: () => tokens[state.user],
      putToken: (_container, token) => {
        if (token) tokens[state.user] = token;
      },
    },
  };
  const serverKey = { keyID: config.keyId, privateKeyFile: config.keyFile };
  const configure = (containerConfig) =>
    CloudKit.configure({ services, containers: [{ environment: 'development', ...containerConfig }] }).getDefaultContainer();

  const s2s = configure({ containerIdentifier: config.container, serverToServerKeyAuth: serverKey });
  const user = configure({ containerIdentifier: config.container, apiTokenAuth: { apiToken: config.apiToken, persist: true } });

  const ctx = {
    CloudKit,
    config,
    requests,
    tokens,
    /** The public database as the server-to-server key. */
    pub: s2s.publicCloudDatabase,
    s2s,
    /** The container as the signed-in user (alice unless `asUser` says otherwise). */
    user,
    priv: user.privateCloudDatabase,
    userPub: user.publicCloudDatabase,
    /** A name unique to this run, so that a suite can run twice against one emulator. */
    unique: (prefix) => `${prefix}-${RUN}-${(counter += 1)}`,
    run: RUN,
    /** Runs `fn` with the token store handing out `name`'s web auth token. */
    async asUser(name, fn) {
      const before = state.user;
      state.user = name;
      try {
        return await fn();
      } finally {
        state.user = before;
      }
    },
    /** A separately configured container (own auth, environment, host). */
    configure,
    serverKey,
  };
  const zones = {};
  /** A custom zone of alice's private database, created on first use. */
  ctx.privateZone = async (label) => {
    if (!zones[label]) {
      const zoneName = ctx.unique(label);
      const response = await ctx.priv.saveRecordZones([zoneName]);
      if (response.hasErrors) throw response.errors[0];
      zones[label] = { zoneName };
    }
    return zones[label];
  };
  ctx.sharedZone = () => ctx.privateZone('share');
  await s2s.setUpAuth();
  return ctx;
}

let counter = 0;
const RUN = Date.now().toString(36);

module.exports = { makeContext, APPLE };
