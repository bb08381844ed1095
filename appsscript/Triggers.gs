/**
 * Switching the scheduled run on and off: one time-driven trigger calling scheduledRun. Installing twice
 * keeps one trigger.
 */

var SCHEDULE_HANDLER = 'scheduledRun';
var SCHEDULE_EVERY_MINUTES = 15;

function scheduleTriggers_() {
  return ScriptApp.getProjectTriggers().filter(function (t) {
    return t.getHandlerFunction() === SCHEDULE_HANDLER;
  });
}

function installTrigger() {
  var existing = scheduleTriggers_();
  existing.slice(1).forEach(function (t) { ScriptApp.deleteTrigger(t); }); // heal earlier duplicates
  if (existing.length) {
    notify_(MESSAGES.triggerAlreadyInstalled, false);
    return false;
  }
  ScriptApp.newTrigger(SCHEDULE_HANDLER).timeBased().everyMinutes(SCHEDULE_EVERY_MINUTES).create();
  notify_(MESSAGES.triggerInstalled(SCHEDULE_EVERY_MINUTES), false);
  return true;
}

function uninstallTrigger() {
  var existing = scheduleTriggers_();
  existing.forEach(function (t) { ScriptApp.deleteTrigger(t); });
  notify_(MESSAGES.triggerRemoved(existing.length), false);
  return existing.length;
}
