'use strict';
/**
 * The fakes behave as Google's reference says where it matters to the scripts (issue 17 item 12): typed
 * getValues, locale-dependent display values, a lock that waits, triggers per user.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const { SCHEMA, createEnv, sheetTime } = require('./fakes');

const cellOf = (key) => SCHEMA.instruks.settings.find((s) => s.key === key).cell;

test('getValues gives Number, Boolean and Date (of the script\'s realm); display values follow the locale', () => {
  const env = createEnv({ settings: { level1_days: 10, schedule_times: sheetTime('08:00'), schedule_on: true } });
  const sheet = env.active.getSheetByName(SCHEMA.instruks.name);
  const value = (key) => sheet.getRange(cellOf(key)).getValue();
  assert.equal(typeof value('level1_days'), 'number');
  assert.equal(value('schedule_on'), true);
  const time = value('schedule_times');
  assert.ok(time instanceof env.gs.Date, 'a Date the script can use with instanceof');
  assert.equal(env.Utilities.formatDate(time, 'Europe/Copenhagen', 'yyyy-MM-dd HH:mm'), '1899-12-30 08:00');
  assert.equal(sheet.getRange(cellOf('schedule_times')).getDisplayValue(), '08.00.00');
  assert.equal(sheet.getRange(cellOf('schedule_on')).getDisplayValue(), 'SAND');
  const us = createEnv({ locale: 'en_US', settings: { schedule_times: sheetTime('13:05'), level1_fee: 99.5 } });
  const usSheet = us.active.getSheetByName(SCHEMA.instruks.name);
  assert.equal(usSheet.getRange(cellOf('schedule_times')).getDisplayValue(), '1:05:00 PM');
  assert.equal(usSheet.getRange(cellOf('level1_fee')).getDisplayValue(), '99.5');
  assert.equal(sheet.getRange(cellOf('level1_days')).getDisplayValue(), '10');
});

test('reads are counted in cells and calls', () => {
  const env = createEnv();
  const sheet = env.active.getSheetByName(SCHEMA.instruks.name);
  sheet.getRange(1, 1, 4, 3).getValues();
  sheet.getRange('B2').getDisplayValue();
  assert.deepEqual(env.reads, { cells: 13, calls: 2, searched: 0 });
});

test('a held lock: waitLock waits the whole timeout, then throws; tryLock waits, then returns false', () => {
  const env = createEnv();
  env.lock.busy = true;
  const lock = env.LockService.getScriptLock();
  const t0 = env.now;
  assert.throws(() => lock.waitLock(10000), /Lock timeout/);
  assert.equal(env.now - t0, 10000);
  assert.equal(lock.tryLock(3000), false);
  assert.equal(env.now - t0, 13000);
  assert.equal(lock.hasLock(), false);
});

test('a lock released within the timeout is taken after the wait', () => {
  const env = createEnv();
  Object.assign(env.lock, { busy: true, busyForMs: 2500 });
  const t0 = env.now;
  env.LockService.getScriptLock().waitLock(10000);
  assert.equal(env.now - t0, 2500);
  assert.equal(env.lock.held, true);
});

test('getProjectTriggers lists only the current user\'s triggers; another user cannot delete them', () => {
  const env = createEnv({ user: 'a@firma.dk' });
  const mine = env.ScriptApp.newTrigger('scheduledRun').timeBased().everyMinutes(15).create();
  env.setUser('b@firma.dk');
  assert.deepEqual(env.ScriptApp.getProjectTriggers(), []);
  assert.throws(() => env.ScriptApp.deleteTrigger(mine), /unknown trigger/);
  env.setUser('a@firma.dk');
  assert.deepEqual(env.ScriptApp.getProjectTriggers().map((t) => t.id), [mine.id]);
});

test('a TextFinder finds whole cells by display value, case-sensitive on request, reading no values', () => {
  const env = createEnv({ settings: { client_name: 'Venter på robot', login_ref: 'venter på robot x' } });
  const sheet = env.active.getSheetByName(SCHEMA.instruks.name);
  const col = sheet.getRange(1, 2, 10, 1);
  const rows = (finder) => finder.findAll().map((r) => r.getRow());
  assert.deepEqual(rows(col.createTextFinder('Venter på robot').matchCase(true).matchEntireCell(true)), [3]);
  assert.deepEqual(rows(col.createTextFinder('venter på robot')), [3, 4]);
  assert.equal(env.reads.cells, 0);
  assert.equal(env.reads.searched, 20);
});
