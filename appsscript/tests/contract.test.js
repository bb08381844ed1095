'use strict';
/**
 * The queue row contract (tests/fixtures/queue_row_contract.json): a button click with the fixture's uuid,
 * time, client sheet, job type and user writes exactly the fixture's row. tests/test_appsscript_contract.py
 * checks jobqueue.rows.new_job_row against the same fixture.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SCHEMA, createEnv } = require('./fakes');

const contract = JSON.parse(fs.readFileSync(
  path.resolve(__dirname, '..', '..', 'tests', 'fixtures', 'queue_row_contract.json'), 'utf8'));

function buttonFor(jobType) {
  let buttons = SCHEMA.instruks.buttons.slice();
  for (const tab of Object.values(SCHEMA.tabs)) buttons = buttons.concat(tab.buttons);
  const found = buttons.find((b) => b.job_type === jobType);
  assert.ok(found, `no button for job type ${jobType}`);
  return found;
}

test('the fixture columns are the queue columns of SCHEMA', () => {
  assert.deepEqual(contract.columns, SCHEMA.tabs[SCHEMA.queueTab].columns.map((c) => c.key));
});

test('a button click writes exactly the contract row', () => {
  const i = contract.input;
  const env = createEnv({
    clientId: i.client_sheet, uuids: [i.job_id], now: i.created_at, user: i.requested_by,
  });
  assert.equal(env.gs[buttonFor(i.job_type).function](), true);
  assert.deepEqual(env.queueRows(), [contract.expected_row]);
});

test('newJobRow_ with the contract input is the contract row', () => {
  const i = contract.input;
  const env = createEnv();
  const row = Array.from(env.gs.newJobRow_(i.job_id, i.created_at, i.client_sheet, i.job_type, i.requested_by));
  assert.deepEqual(row, contract.expected_row);
  assert.equal(env.gs.isoUtc_(new Date(Date.parse(i.created_at) + 999)), i.created_at, 'milliseconds are cut');
});
