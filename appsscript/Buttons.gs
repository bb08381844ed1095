/**
 * The drawing buttons and the "Rykkerbot" menu. Each button function is named by SCHEMA (Button.function)
 * and puts one job of the button's type on the queue.
 */

function startRykkerflow() { return clickButton_('startRykkerflow'); }
function sendRykkere() { return clickButton_('sendRykkere'); }
function hentNyeForslag() { return clickButton_('hentNyeForslag'); }
function opretGodkendteSager() { return clickButton_('opretGodkendteSager'); }
function hentNyeInkassoForslag() { return clickButton_('hentNyeInkassoForslag'); }
function sendSagsaendringer() { return clickButton_('sendSagsaendringer'); }

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

/**
 * Enqueue the job of one button through the queue's web app; true if a row was added. No lock here: the web
 * app holds one lock for every client's request while it checks for a duplicate and appends.
 */
function clickButton_(functionName) {
  var button = buttonByFunction_(functionName);
  try {
    var spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    var result = requestJob_(spreadsheet.getId(), button.job_type, activeUserEmail_());
    if (result.busy) {
      notify_(MESSAGES.busy(button.label), true);
      return false;
    }
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
  }
}
