/**
 * The drawing buttons and the "Rykkerbot" menu. Each button function is named by SCHEMA (Button.function)
 * and puts one job of the button's type on the queue.
 */

var LOCK_WAIT_MS = 10000;

function startRykkerflow() { return clickButton_('startRykkerflow'); }
function sendRykkere() { return clickButton_('sendRykkere'); }
function hentNyeForslag() { return clickButton_('hentNyeForslag'); }
function opretGodkendteSager() { return clickButton_('opretGodkendteSager'); }
function hentNyeInkassoForslag() { return clickButton_('hentNyeInkassoForslag'); }

/** Simple trigger: the menu with every button of the schema, plus switching the scheduled run on/off. */
function onOpen() {
  var menu = SpreadsheetApp.getUi().createMenu(MESSAGES.menu);
  schemaButtons_().forEach(function (b) { menu.addItem(b.label, b.function); });
  menu.addSeparator()
    .addItem(MESSAGES.menuInstallTrigger, 'installTrigger')
    .addItem(MESSAGES.menuUninstallTrigger, 'uninstallTrigger')
    .addToUi();
}

function activeUserEmail_() {
  var email = '';
  try {
    email = Session.getActiveUser().getEmail();
  } catch (e) {
    email = '';
  }
  return email ? String(email) : MESSAGES.unknownUser;
}

/** Enqueue the job of one button; true if a row was added. */
function clickButton_(functionName) {
  var button = buttonByFunction_(functionName);
  var lock = LockService.getScriptLock();
  try {
    lock.waitLock(LOCK_WAIT_MS);
  } catch (e) {
    notify_(MESSAGES.busy(button.label), true);
    return false;
  }
  try {
    var spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    var result = enqueueJob_(spreadsheet.getId(), button.job_type, activeUserEmail_());
    if (!result.added) {
      notify_(MESSAGES.alreadyWaiting(button.label), true);
      return false;
    }
    setRobotStatus_(spreadsheet, SCHEMA.jobStatus.WAITING);
    SpreadsheetApp.flush();
    notify_(MESSAGES.queued(button.label), false);
    return true;
  } catch (e) {
    if (e && e.userMessage) {
      notify_(e.userMessage, true);
      return false;
    }
    notify_(MESSAGES.unexpected(e), true);
    throw e;
  } finally {
    lock.releaseLock();
  }
}
