'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { SCHEMA, createEnv, expectedRow, sheetTime } = require('./fakes');

const ref = (key) => `${SCHEMA.instruks.name}!${SCHEMA.instruks.settings.find((s) => s.key === key).cell}`;
const ON = { schedule_on: SCHEMA.yesNo.YES, schedule_days: 'man,tir,ons,tor,fre', schedule_times: '08:00,13:00' };
// 2026-11-23 is a Monday; Copenhagen is UTC+1 in November, UTC+2 in summer.
const MONDAY_0800 = '2026-11-23T07:00:00Z';

function triggerEnv(settings, now) {
  return createEnv({ settings: Object.assign({}, ON, settings), now: now || MONDAY_0800, ui: false });
}

test('fires at 08:00 on a Monday: one rykkerflow requested by "Planlagt kørsel"', () => {
  const env = triggerEnv();
  assert.equal(env.gs.scheduledRun(), true);
  assert.deepEqual(env.queueRows(), [expectedRow({
    job_id: '00000000-0000-4000-8000-000000000001', created_at: '2026-11-23T07:00:00Z',
    client_sheet: 'client-sheet-1', job_type: SCHEMA.jobTypes.RYKKERFLOW, requested_by: 'Planlagt kørsel',
  })]);
  assert.equal(env.statusCell(), SCHEMA.jobStatus.WAITING);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), '2026-11-23 08:00');
  assert.equal(env.lock.held, false);
  assert.equal(env.flushes, 1);
});

test('a trigger that fires twice (and again later in the window) enqueues once', () => {
  const env = triggerEnv();
  assert.equal(env.gs.scheduledRun(), true);
  assert.equal(env.gs.scheduledRun(), false);
  // the robot finished the job; the next quarter-hour trigger must not start it again
  const statusI = SCHEMA.tabs[SCHEMA.queueTab].columns.findIndex((c) => c.key === 'status');
  env.queueBook.sheet(SCHEMA.queueTab).rows[1][statusI] = SCHEMA.jobStatus.DONE;
  for (const t of ['2026-11-23T07:15:00Z', '2026-11-23T08:45:00Z', '2026-11-23T09:00:00Z']) {
    env.setNow(t);
    assert.equal(env.gs.scheduledRun(), false, t);
  }
  assert.equal(env.queueRows().length, 1);
  // 13:00 is the next slot
  env.setNow('2026-11-23T12:05:00Z');
  assert.equal(env.gs.scheduledRun(), true);
  assert.equal(env.queueRows().length, 2);
});

test('a trigger a few minutes late still catches the slot; one older than two hours does not', () => {
  const late = triggerEnv({}, '2026-11-23T08:55:00Z'); // 09:55 local, 1h55 after 08:00
  assert.equal(late.gs.scheduledRun(), true);
  const tooLate = triggerEnv({ schedule_times: '08:00' }, '2026-11-23T09:01:00Z'); // 10:01 local
  assert.equal(tooLate.gs.scheduledRun(), false);
  assert.deepEqual(tooLate.queueRows(), []);
});

test('before the first time of the day nothing is due', () => {
  const env = triggerEnv({}, '2026-11-23T06:59:00Z'); // 07:59 local
  assert.equal(env.gs.scheduledRun(), false);
  assert.deepEqual(env.queueRows(), []);
  assert.equal(env.statusCell(), '');
});

test('no run on a weekday that is not listed', () => {
  const saturday = triggerEnv({}, '2026-11-28T07:00:00Z');
  assert.equal(saturday.gs.scheduledRun(), false);
  assert.deepEqual(saturday.queueRows(), []);
  const onlyWednesday = triggerEnv({ schedule_days: 'ons' });
  assert.equal(onlyWednesday.gs.scheduledRun(), false);
  onlyWednesday.setNow('2026-11-25T07:00:00Z');
  assert.equal(onlyWednesday.gs.scheduledRun(), true);
});

test('off means nothing: no row, no status, no remembered slot, even with bad values', () => {
  for (const settings of [{ schedule_on: SCHEMA.yesNo.NO }, { schedule_on: 'nej', schedule_times: '25:00' }]) {
    const env = triggerEnv(settings);
    assert.equal(env.gs.scheduledRun(), false);
    assert.deepEqual(env.queueRows(), []);
    assert.equal(env.statusCell(), '');
    assert.deepEqual(Object.keys(env.scriptProperties.getProperties()).sort(), ['QUEUE_TOKEN', 'QUEUE_URL']);
  }
});

test('"ja" in any case and spacing counts as on', () => {
  const env = triggerEnv({ schedule_on: '  JA ' });
  assert.equal(env.gs.scheduledRun(), true);
});

test('Copenhagen time: 08:00 in summer is 06:00 UTC', () => {
  const env = triggerEnv({}, '2026-06-01T06:00:00Z'); // a Monday, CEST
  assert.equal(env.gs.scheduledRun(), true);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), '2026-06-01 08:00');
});

test('a slot late on a listed day is still caught just after midnight', () => {
  const env = triggerEnv({ schedule_days: 'fre', schedule_times: '23:30' }, '2026-11-27T23:15:00Z'); // Sat 00:15
  assert.equal(env.gs.scheduledRun(), true);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), '2026-11-27 23:30');
});

test('the same grammar as the robot: full names, ranges, 8.00 and 08:00:00', () => {
  const env = triggerEnv({ schedule_days: 'Mandag-Fredag', schedule_times: '8.00' });
  assert.equal(env.gs.scheduledRun(), true);
  assert.deepEqual(Array.from(env.gs.parseWeekdays_('lør, søn; man')), [0, 5, 6]);
  assert.deepEqual(Array.from(env.gs.parseWeekdays_('loer,Son.')), [5, 6]);
  assert.deepEqual(Array.from(env.gs.parseTimes_('13:00 8:00,08:00:00')), ['08:00', '13:00']);
});

test('bad values put a message naming the cell in the status cell, once', () => {
  const cases = [
    [{ schedule_times: '25:00' }, `Fejl i ${ref('schedule_times')}: '25:00' er ikke et klokkeslæt. ` +
      'Skriv klokkeslæt som 08:00,13:00.'],
    [{ schedule_days: 'man,weekend' }, `Fejl i ${ref('schedule_days')}: 'weekend' er ikke en ugedag. ` +
      'Skriv ugedage som man,tir,ons,tor,fre.'],
    [{ schedule_days: 'fre-man' }, `Fejl i ${ref('schedule_days')}: 'fre-man': ugedagene skal stå i ` +
      'rækkefølge (man-fre). Skriv ugedage som man,tir,ons,tor,fre.'],
    [{ schedule_times: '' }, `Fejl i ${ref('schedule_times')}: Feltet er tomt, men automatisk kørsel er slået ` +
      'til. Skriv klokkeslæt som 08:00,13:00.'],
    [{ schedule_on: 'Måske' }, `Fejl i ${ref('schedule_on')}: 'Måske' er ikke et gyldigt valg. ` +
      "Skriv 'Ja' eller 'Nej'."],
    [{ schedule_on: '' }, `Fejl i ${ref('schedule_on')}: Feltet er tomt. Skriv 'Ja' eller 'Nej'.`],
  ];
  for (const [settings, message] of cases) {
    const env = triggerEnv(settings);
    assert.equal(env.gs.scheduledRun(), false);
    assert.equal(env.statusCell(), message);
    assert.deepEqual(env.queueRows(), []);
    assert.equal(env.lock.held, false);
    env.events.length = 0;
    env.gs.scheduledRun();
    assert.ok(!env.events.some((e) => e.startsWith('setValue')), 'the same message is not rewritten');
  }
  const both = triggerEnv({ schedule_days: 'mandg', schedule_times: '7' });
  both.gs.scheduledRun();
  assert.match(both.statusCell(), new RegExp(`${ref('schedule_days')}.*${ref('schedule_times')}`));
  assert.ok(ref('schedule_times').endsWith('B27'));
});

test('a missing queue id in the web app during a scheduled run is shown in the status cell and retried', () => {
  const env = createEnv({ settings: ON, now: MONDAY_0800, ui: false, queueId: null });
  assert.equal(env.gs.scheduledRun(), false);
  assert.match(env.statusCell(), /^Fejl \(planlagt kørsel\): .*QUEUE_SPREADSHEET_ID mangler i køens web-app/);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), null);
  env.gateway.scriptProperties.setProperty('QUEUE_SPREADSHEET_ID', 'queue-sheet-1');
  env.setNow('2026-11-23T07:15:00Z');
  assert.equal(env.gs.scheduledRun(), true);
  assert.equal(env.statusCell(), SCHEMA.jobStatus.WAITING);
});

test('a rykkerflow already waiting serves the slot: no second row, slot remembered', () => {
  const env = triggerEnv();
  env.gs.startRykkerflow(); // a click just before
  assert.equal(env.gs.scheduledRun(), false);
  assert.equal(env.queueRows().length, 1);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), '2026-11-23 08:00');
});

test('a busy lock skips this run and leaves the slot due for the next', () => {
  const env = triggerEnv();
  env.lock.busy = true;
  assert.equal(env.gs.scheduledRun(), false);
  assert.deepEqual(env.queueRows(), []);
  env.lock.busy = false;
  env.setNow('2026-11-23T07:15:00Z');
  assert.equal(env.gs.scheduledRun(), true);
});

test('an unexpected error in the web app during a scheduled run is shown and the slot stays due', () => {
  const env = triggerEnv();
  env.queueBook.sheet(SCHEMA.queueTab).failAppend = new Error('Service unavailable');
  assert.equal(env.gs.scheduledRun(), false);
  assert.match(env.statusCell(), /^Fejl \(planlagt kørsel\): Der skete en uventet fejl: Service unavailable/);
  assert.equal(env.lock.held, false);
  assert.equal(env.gateway.lock.held, false);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), null);
  env.queueBook.sheet(SCHEMA.queueTab).failAppend = null;
  env.setNow('2026-11-23T07:15:00Z');
  assert.equal(env.gs.scheduledRun(), true);
});

test('a busy queue during a scheduled run leaves the slot due for the next run', () => {
  const env = triggerEnv();
  env.gateway.lock.busy = true;
  assert.equal(env.gs.scheduledRun(), false);
  assert.equal(env.scriptProperties.getProperty('rykkerbot.lastScheduledSlot.client-sheet-1'), null);
  assert.equal(env.statusCell(), '');
  env.gateway.lock.busy = false;
  env.setNow('2026-11-23T07:15:00Z');
  assert.equal(env.gs.scheduledRun(), true);
});
