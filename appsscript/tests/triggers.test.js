'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createEnv } = require('./fakes');

test('installTrigger twice leaves one 15-minute trigger on scheduledRun', () => {
  const env = createEnv();
  assert.equal(env.gs.installTrigger(), true);
  assert.equal(env.gs.installTrigger(), false);
  assert.equal(env.triggers.length, 1);
  assert.equal(env.triggers[0].handler, 'scheduledRun');
  assert.equal(env.triggers[0].timeBased, true);
  assert.equal(env.triggers[0].everyMinutes, 15);
  assert.equal(typeof env.gs[env.triggers[0].handler], 'function');
  assert.match(env.toasts[0].message, /slået til/);
  assert.match(env.toasts[1].message, /allerede/);
});

test('installTrigger removes duplicates left by earlier installs and keeps other triggers', () => {
  const env = createEnv();
  env.ScriptApp.newTrigger('scheduledRun').timeBased().everyMinutes(15).create();
  env.ScriptApp.newTrigger('scheduledRun').timeBased().everyMinutes(15).create();
  env.ScriptApp.newTrigger('somethingElse').timeBased().everyMinutes(5).create();
  env.gs.installTrigger();
  assert.deepEqual(env.triggers.map((t) => t.handler).sort(), ['scheduledRun', 'somethingElse']);
});

test('uninstallTrigger removes only the schedule trigger; run from the editor it logs instead of alerting', () => {
  const env = createEnv({ ui: false });
  env.gs.installTrigger();
  env.ScriptApp.newTrigger('somethingElse').timeBased().everyMinutes(5).create();
  assert.equal(env.gs.uninstallTrigger(), 1);
  assert.deepEqual(env.triggers.map((t) => t.handler), ['somethingElse']);
  assert.equal(env.gs.uninstallTrigger(), 0);
  assert.deepEqual(env.logs.slice(1), ['Planlagt kørsel er slået fra.', 'Planlagt kørsel var ikke slået til.']);
});
