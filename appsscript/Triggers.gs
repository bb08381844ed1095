/**
 * Switching the scheduled run on and off: one time-driven trigger calling scheduledRun.
 *
 * Installable triggers belong to the user who creates them, and ScriptApp.getProjectTriggers() lists only
 * the current user's. So the timer's owner is recorded in the spreadsheet's Document Properties (shared by
 * everyone who uses this spreadsheet's script), with the time of its last run: a second bookkeeper's
 * "install" adds no second timer and their "uninstall" says whose timer it is. An owner whose timer has not
 * run for SCHEDULE_STALE_MINUTES (removed in the editor, the account gone) no longer blocks a new install.
 */

var SCHEDULE_HANDLER = 'scheduledRun';
var SCHEDULE_EVERY_MINUTES = 15;
var SCHEDULE_STALE_MINUTES = 60;
var SCHEDULE_OWNER_PROPERTY = 'rykkerbot.schedule.owner';
var SCHEDULE_LAST_RUN_PROPERTY = 'rykkerbot.schedule.lastRun';

/** The current user's schedule triggers (only theirs are visible). */
function scheduleTriggers_() {
  return ScriptApp.getProjectTriggers().filter(function (t) {
    return t.getHandlerFunction() === SCHEDULE_HANDLER;
  });
}

/** The user the script runs as: the person clicking, or a trigger's owner. */
function effectiveUserEmail_() {
  var email = '';
  try {
    email = Session.getEffectiveUser().getEmail();
  } catch (e) {
    email = '';
  }
  return email ? String(email) : MESSAGES.unknownUser;
}

/** {email, lastRun (ms)} of the recorded timer owner, or null. */
function scheduleOwner_() {
  var properties = PropertiesService.getDocumentProperties();
  var email = properties.getProperty(SCHEDULE_OWNER_PROPERTY);
  if (!email) return null;
  var lastRun = Date.parse(properties.getProperty(SCHEDULE_LAST_RUN_PROPERTY) || '');
  return { email: String(email), lastRun: isNaN(lastRun) ? null : lastRun };
}

/** True if the recorded owner is someone else whose timer ran recently (so it is still there). */
function ownedByOther_(owner, me) {
  return !!owner && owner.email !== me && owner.lastRun !== null &&
    new Date().getTime() - owner.lastRun <= SCHEDULE_STALE_MINUTES * 60 * 1000;
}

function recordScheduleOwner_(email) {
  var values = {};
  values[SCHEDULE_OWNER_PROPERTY] = email;
  values[SCHEDULE_LAST_RUN_PROPERTY] = isoUtc_(new Date());
  PropertiesService.getDocumentProperties().setProperties(values);
}

function clearScheduleOwner_() {
  var properties = PropertiesService.getDocumentProperties();
  properties.deleteProperty(SCHEDULE_OWNER_PROPERTY);
  properties.deleteProperty(SCHEDULE_LAST_RUN_PROPERTY);
}

function installTrigger() {
  var me = effectiveUserEmail_();
  var owner = scheduleOwner_();
  var mine = scheduleTriggers_();
  if (ownedByOther_(owner, me)) {
    mine.forEach(function (t) { ScriptApp.deleteTrigger(t); }); // a stray second timer of mine
    notify_(MESSAGES.triggerOwnedByOther(owner.email), true);
    return false;
  }
  mine.slice(1).forEach(function (t) { ScriptApp.deleteTrigger(t); }); // heal earlier duplicates
  recordScheduleOwner_(me);
  if (mine.length) {
    notify_(MESSAGES.triggerAlreadyInstalled(me), false);
    return false;
  }
  ScriptApp.newTrigger(SCHEDULE_HANDLER).timeBased().everyMinutes(SCHEDULE_EVERY_MINUTES).create();
  notify_(MESSAGES.triggerInstalled(SCHEDULE_EVERY_MINUTES, me), false);
  return true;
}

function uninstallTrigger() {
  var me = effectiveUserEmail_();
  var owner = scheduleOwner_();
  var mine = scheduleTriggers_();
  mine.forEach(function (t) { ScriptApp.deleteTrigger(t); });
  if (ownedByOther_(owner, me)) {
    notify_(MESSAGES.triggerOwnedByOther(owner.email), true);
    return mine.length;
  }
  if (owner) clearScheduleOwner_();
  notify_(MESSAGES.triggerRemoved(mine.length), false);
  return mine.length;
}

/**
 * Called by scheduledRun when a timer fires: true if this timer is the recorded one (recording it and its
 * run time), false if it is a second timer of another user (installed before owners were recorded), which
 * then removes itself.
 */
function claimScheduleRun_() {
  var me = effectiveUserEmail_();
  if (ownedByOther_(scheduleOwner_(), me)) {
    scheduleTriggers_().forEach(function (t) { ScriptApp.deleteTrigger(t); });
    console.log(MESSAGES.strayTimerRemoved(me));
    return false;
  }
  recordScheduleOwner_(me);
  return true;
}
