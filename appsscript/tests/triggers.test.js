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

// Issue 17 item 11: triggers are per user; the owner is recorded and named.
const A = 'anna@firma.dk';
const B = 'bo@firma.dk';
const HOUR = 60 * 60 * 1000;

test('a second bookkeeper\'s install adds no second timer and names the owner', () => {
  const env = createEnv({ user: A });
  assert.equal(env.gs.installTrigger(), true);
  assert.match(env.toasts[0].message, /installeret af anna@firma\.dk; kun denne bruger kan fjerne den/);
  env.setUser(B);
  assert.equal(env.gs.installTrigger(), false);
  assert.deepEqual(env.triggers.map((t) => t.owner), [A], 'still one timer, Anna\'s');
  assert.equal(env.alerts.length, 1);
  assert.match(env.alerts[0], /^Tidsplanen er installeret af anna@firma\.dk; kun denne bruger kan fjerne den\./);
  assert.match(env.alerts[0], /skriv Nej i Instruks!B25/);
});

test('a second bookkeeper\'s uninstall says whose timer it is; the owner\'s keeps running', () => {
  const env = createEnv({ user: A });
  env.gs.installTrigger();
  env.setUser(B);
  assert.equal(env.gs.uninstallTrigger(), 0);
  assert.deepEqual(env.triggers.map((t) => t.owner), [A]);
  assert.match(env.alerts[0], /installeret af anna@firma\.dk; kun denne bruger kan fjerne den/);
  assert.ok(!env.alerts.concat(env.toasts.map((t) => t.message)).some((m) => /var ikke slået til/.test(m)));
  env.setUser(A);
  assert.equal(env.gs.uninstallTrigger(), 1);
  assert.deepEqual(env.triggers, []);
  assert.equal(env.documentProperties.getProperty('rykkerbot.schedule.owner'), null);
  env.setUser(B);
  assert.equal(env.gs.installTrigger(), true, 'after the owner removed it anyone may install');
  assert.deepEqual(env.triggers.map((t) => t.owner), [B]);
});

test('the owner\'s runs keep the record fresh; a timer silent for an hour no longer blocks', () => {
  const env = createEnv({ user: A, settings: { schedule_on: 'Nej' } });
  env.gs.installTrigger();
  const timer = env.triggers[0];
  env.now += 50 * 60 * 1000;
  env.fire(timer);
  env.now += 50 * 60 * 1000; // 100 min after install, 50 after the last run
  env.setUser(B);
  assert.equal(env.gs.installTrigger(), false);
  env.now += 11 * 60 * 1000; // Anna's timer was deleted elsewhere: no run for 61 minutes
  assert.equal(env.gs.installTrigger(), true);
  assert.equal(env.documentProperties.getProperty('rykkerbot.schedule.owner'), B);
  assert.equal(env.triggers.filter((t) => t.owner === B).length, 1);
});

test('a stray second timer (from before owners were recorded) removes itself when it fires', () => {
  const env = createEnv({ user: A, settings: { schedule_on: 'Nej' } });
  env.ScriptApp.newTrigger('scheduledRun').timeBased().everyMinutes(15).create();
  env.setUser(B);
  env.ScriptApp.newTrigger('scheduledRun').timeBased().everyMinutes(15).create();
  assert.equal(env.triggers.length, 2);
  env.fire(env.triggers[0]); // Anna's fires first and is recorded
  assert.equal(env.fire(env.triggers[1]), false);
  assert.deepEqual(env.triggers.map((t) => t.owner), [A]);
  assert.ok(env.logs.some((l) => /ekstra tidsplan installeret af bo@firma\.dk er fjernet/.test(l)));
  env.now += 2 * HOUR;
  env.fire(env.triggers[0]);
  assert.equal(env.documentProperties.getProperty('rykkerbot.schedule.owner'), A);
});

test('scheduledRun run by hand from the editor does not make that user the owner', () => {
  const env = createEnv({ user: A, settings: { schedule_on: 'Nej' } });
  env.gs.installTrigger();
  env.setUser(B);
  env.gs.scheduledRun();
  assert.equal(env.documentProperties.getProperty('rykkerbot.schedule.owner'), A);
});
