'use strict';
/** "Godkend alle": every open proposal of the tab ticked in one write, nothing else touched, no job queued. */
const test = require('node:test');
const assert = require('node:assert/strict');
const { SCHEMA, createEnv } = require('./fakes');

function tabRows(tabName, rows) {
  const columns = SCHEMA.tabs[tabName].columns;
  return [columns.map((c) => c.header)].concat(rows.map((r) => columns.map((c) => (c.key in r ? r[c.key] : ''))));
}

function column(env, tabName, key) {
  const i = SCHEMA.tabs[tabName].columns.findIndex((c) => c.key === key);
  return env.client.sheet(tabName).rows.slice(1).map((line) => line[i]);
}

const CASES = 'Inkassoforslag';
const REMINDERS = 'Rykkerforslag';

test('godkendAlleSager ticks the open case proposals only, in one write, and queues nothing', () => {
  const env = createEnv();
  const sheet = env.client.sheet(CASES);
  sheet.rows = tabRows(CASES, [
    { case_id: 'I-1-1', status: SCHEMA.caseStatus.PROPOSED, approve: false },
    { case_id: 'I-2-2', status: SCHEMA.caseStatus.CREATED, approve: false },
    { case_id: 'I-3-3', status: SCHEMA.caseStatus.PROPOSED, approve: true },
    { case_id: 'I-4-4', status: SCHEMA.caseStatus.REJECTED, approve: false },
    { case_id: 'I-5-5', status: SCHEMA.caseStatus.PROPOSED, approve: false },
  ]);
  env.events.length = 0;
  assert.equal(env.gs.godkendAlleSager(), 2);
  assert.deepEqual(column(env, CASES, 'approve'), [true, false, true, false, true]);
  assert.deepEqual(env.events.filter((e) => e.startsWith('setValue')), [`setValues ${CASES}!J2:J6`]);
  assert.deepEqual(env.queueRows(), []);
  assert.match(env.toasts[0].message, /^2 forslag på fanen "Inkassoforslag" er godkendt/);

  assert.equal(env.gs.godkendAlleSager(), 0);  // pressed again: nothing left to tick, nothing written
  assert.equal(env.events.filter((e) => e.startsWith('setValue')).length, 1);
  assert.match(env.toasts[1].message, /ingen åbne forslag/);
});

test('godkendAlleRykkere finds its columns by header, wherever they stand', () => {
  const env = createEnv();
  const rows = tabRows(REMINDERS, [
    { proposal_id: 'R-1', status: SCHEMA.proposalStatus.PROPOSED, approve: false },
    { proposal_id: 'R-2', status: SCHEMA.proposalStatus.SENT, approve: false },
  ]).map((line) => ['ekstra'].concat(line));  // a column the bookkeeper inserted in front
  env.client.sheet(REMINDERS).rows = rows;
  assert.equal(env.gs.godkendAlleRykkere(), 1);
  const i = 1 + SCHEMA.tabs[REMINDERS].columns.findIndex((c) => c.key === 'approve');
  assert.deepEqual(env.client.sheet(REMINDERS).rows.slice(1).map((line) => line[i]), [true, false]);
});

test('a missing Godkend column is named, and nothing is written', () => {
  const env = createEnv();
  const header = SCHEMA.tabs[CASES].columns.find((c) => c.key === 'approve').header;
  env.client.sheet(CASES).rows = tabRows(CASES, [{ case_id: 'I-1-1', status: SCHEMA.caseStatus.PROPOSED }])
    .map((line, r) => (r === 0 ? line.map((h) => (h === header ? 'Godkendt?' : h)) : line));
  env.events.length = 0;
  assert.equal(env.gs.godkendAlleSager(), 0);
  assert.match(env.alerts[0], new RegExp(`Kolonnen "${header}" mangler`));
  assert.equal(env.events.filter((e) => e.startsWith('setValue')).length, 0);
});
