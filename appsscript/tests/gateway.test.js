'use strict';
/**
 * Issue 17 item 10: a click reaches the queue without the bookkeeper having access to the queue spreadsheet.
 * The client script calls the queue's web app (Gateway.gs), deployed "execute as me" by the operator, with
 * this spreadsheet's token; the web app alone opens the queue.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { SCHEMA, createEnv, clientToken, GATEWAY_URL, GATEWAY_SECRET, OPERATOR } = require('./fakes');

const TOOL = path.resolve(__dirname, '..', 'tools', 'client-token.js');
const col = (key) => SCHEMA.tabs[SCHEMA.queueTab].columns.findIndex((c) => c.key === key);

function post(env, body) {
  const contents = typeof body === 'string' ? body : JSON.stringify(body);
  const output = env.gateway.gs.doPost({ postData: { contents, length: contents.length, type: 'application/json' } });
  assert.equal(output.getMimeType(), 'application/json');
  return JSON.parse(output.getContent());
}

function validRequest(overrides) {
  return Object.assign({
    client_sheet: 'client-sheet-1', job_type: 'rykkerflow', requested_by: 'bogholder@firma.dk',
    token: clientToken(GATEWAY_SECRET, 'client-sheet-1'),
  }, overrides);
}

test('a bookkeeper who cannot open the queue still queues a job: the web app writes it as the operator', () => {
  const env = createEnv({ user: 'bogholder@firma.dk' });
  assert.throws(() => env.SpreadsheetApp.openById('queue-sheet-1'), /do not have permission/,
    'the queue is not shared with the bookkeeper (a click that opened it directly would fail)');
  assert.equal(env.gs.startRykkerflow(), true);
  const row = env.queueRows()[0];
  assert.equal(row[col('requested_by')], 'bogholder@firma.dk');
  assert.equal(row[col('client_sheet')], 'client-sheet-1');
  assert.equal(env.fetches.length, 1);
  const { url, params } = env.fetches[0];
  assert.equal(url, GATEWAY_URL);
  assert.equal(params.method, 'post');
  assert.equal(params.muteHttpExceptions, true);
  assert.deepEqual(JSON.parse(params.payload), validRequest());
  assert.ok(!('QUEUE_SPREADSHEET_ID' in env.scriptProperties.getProperties()), 'the client knows no queue id');
  assert.equal(OPERATOR, env.gateway.gs.Session.getEffectiveUser().getEmail());
});

test('the queue row contract holds through the web app (every column, attempt the number 0)', () => {
  const env = createEnv({ uuids: ['u-1'], now: '2026-11-23T09:15:07Z' });
  assert.deepEqual(post(env, validRequest({ job_type: 'send_rykkere' })), { ok: true, added: true, job_id: 'u-1' });
  assert.equal(env.queueRows()[0][col('attempt')], 0);
  assert.deepEqual(post(env, validRequest({ job_type: 'send_rykkere' })), { ok: true, added: false, job_id: null });
});

test('a wrong token is refused: nothing written, the message names QUEUE_TOKEN', () => {
  const env = createEnv({ clientProperties: { QUEUE_URL: GATEWAY_URL, QUEUE_TOKEN: 'f'.repeat(64) } });
  assert.equal(env.gs.startRykkerflow(), false);
  assert.deepEqual(env.queueRows(), []);
  assert.match(env.alerts[0], /afviste adgangsnøglen: scriptegenskaben QUEUE_TOKEN/);
  assert.equal(env.statusCell(), '');
});

test('a token is good for its own spreadsheet only', () => {
  const env = createEnv({ clientProperties: { QUEUE_URL: GATEWAY_URL, QUEUE_TOKEN: clientToken(GATEWAY_SECRET, 'other-client') } });
  assert.equal(env.gs.sendRykkere(), false);
  assert.deepEqual(env.queueRows(), []);
  const direct = post(env, validRequest({ client_sheet: 'other-client' }));
  assert.equal(direct.ok, false);
  assert.equal(direct.reason, 'unauthorized');
});

test('requests that are not a button\'s are refused and write nothing', () => {
  const env = createEnv();
  const cases = [
    ['not json', 'JSON'],
    [validRequest({ job_type: 'drop_tables' }), 'job_type'],
    [validRequest({ client_sheet: '../queue' }), 'client_sheet'],
    [validRequest({ requested_by: '=IMPORTXML("https://evil.example","//a")' }), 'requested_by'],
    [validRequest({ requested_by: '' }), 'requested_by'],
    [validRequest({ requested_by: 'x'.repeat(300) }), 'requested_by'],
    [validRequest({ token: undefined }), null],
  ];
  for (const [body, field] of cases) {
    const answer = post(env, body);
    assert.equal(answer.ok, false, JSON.stringify(body));
    if (field) {
      assert.equal(answer.reason, 'bad_request');
      assert.match(answer.message, new RegExp(`feltet ${field}`));
    } else {
      assert.equal(answer.reason, 'unauthorized');
    }
  }
  assert.deepEqual(env.queueRows(), []);
  assert.equal(env.gateway.lock.waits.length, 0, 'refused before taking the lock');
});

test('a web app without QUEUE_SECRET refuses every request with a setup message', () => {
  const env = createEnv();
  env.gateway.scriptProperties.deleteProperty('QUEUE_SECRET');
  assert.equal(env.gs.startRykkerflow(), false);
  assert.match(env.alerts[0], /QUEUE_SECRET mangler i web-appens projekt/);
  assert.deepEqual(env.queueRows(), []);
});

test('a client script without QUEUE_URL or QUEUE_TOKEN names the missing property and calls nothing', () => {
  for (const [props, missing] of [[{ QUEUE_TOKEN: 'x' }, 'QUEUE_URL'], [{ QUEUE_URL: GATEWAY_URL, QUEUE_TOKEN: '  ' }, 'QUEUE_TOKEN']]) {
    const env = createEnv({ clientProperties: props });
    assert.equal(env.gs.startRykkerflow(), false);
    assert.match(env.alerts[0], new RegExp(`scriptegenskaben ${missing} mangler`));
    assert.match(env.alerts[0], /Scriptegenskaber/);
    assert.equal(env.fetches.length, 0);
  }
});

test('a queue that cannot be reached or answers something else: the click says the job is not queued', () => {
  const down = createEnv();
  down.http.fail = new Error('Address unavailable: https://script.google.com/macros/s/x/exec');
  assert.equal(down.gs.startRykkerflow(), false);
  assert.match(down.alerts[0], /^Køen kunne ikke nås: Address unavailable.*IKKE sat i kø/);
  const gone = createEnv({ clientProperties: { QUEUE_URL: 'https://script.google.com/macros/s/deleted/exec', QUEUE_TOKEN: 't' } });
  assert.equal(gone.gs.startRykkerflow(), false);
  assert.match(gone.alerts[0], /HTTP 404.*QUEUE_URL.*\/exec/);
  const signIn = createEnv(); // deployed with access "Anyone with a Google account": a sign-in page
  Object.assign(signIn.http, { status: 200, body: '<!DOCTYPE html><html><title>Google Accounts</title></html>' });
  assert.equal(signIn.gs.startRykkerflow(), false);
  assert.match(signIn.alerts[0], /HTTP 200.*adgang for "Alle"/);
  for (const env of [down, gone, signIn]) {
    assert.deepEqual(env.queueRows(), []);
    assert.equal(env.statusCell(), '');
  }
});

test('doGet says what it is and nothing else', () => {
  const env = createEnv({ queueRows: [] });
  const output = env.gateway.gs.doGet({ parameter: {} });
  assert.deepEqual(JSON.parse(output.getContent()), { ok: true, service: 'Rykkerbot-køen' });
});

test('the operator\'s tool makes the token the web app computes (Utilities gives signed bytes)', () => {
  const id = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
  const out = execFileSync(process.execPath, [TOOL, id, 'client-sheet-1'],
    { env: { QUEUE_SECRET: GATEWAY_SECRET }, encoding: 'utf8' }).trim().split('\n');
  const env = createEnv();
  assert.deepEqual(out, [env.gateway.gs.clientToken_(GATEWAY_SECRET, id), clientToken(GATEWAY_SECRET, 'client-sheet-1')]);
  assert.match(out[0], /^[0-9a-f]{64}$/);
  const secret = execFileSync(process.execPath, [TOOL, '--new-secret'], { encoding: 'utf8' }).trim();
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.throws(() => execFileSync(process.execPath, [TOOL, id], { env: {}, stdio: 'pipe' }), /QUEUE_SECRET is not set/);
});

test('a click takes the web app\'s lock (one for every client), not the client script\'s', () => {
  const env = createEnv();
  env.gs.startRykkerflow();
  assert.equal(env.gateway.lock.waits.length, 1);
  assert.equal(env.lock.waits.length, 0);
});
