/**
 * "Godkend alle" on a proposals tab: tick Godkend on every open proposal (status Foreslået, not yet ticked) in
 * one write. No job is queued: the robot acts on the ticks when "Send rykkere" or "Opret godkendte sager" is
 * pressed. Rows someone acted on (Sendt, Afvist, Oprettet, ...) are left as they are.
 */

function godkendAlleRykkere() { return approveAll_('godkendAlleRykkere', SCHEMA.proposalStatus.PROPOSED); }
function godkendAlleSager() { return approveAll_('godkendAlleSager', SCHEMA.caseStatus.PROPOSED); }

/** The tab whose buttons include this function. */
function tabOfButton_(functionName) {
  var names = Object.keys(SCHEMA.tabs).filter(function (name) {
    return SCHEMA.tabs[name].buttons.some(function (b) { return b.function === functionName; });
  });
  if (!names.length) throw new Error('SCHEMA has no tab with a button ' + functionName);
  return names[0];
}

/** Tick every open proposal of the button's tab; the number ticked now. */
function approveAll_(functionName, openStatus) {
  var tabName = tabOfButton_(functionName);
  var headerOf = function (key) {
    return SCHEMA.tabs[tabName].columns.filter(function (c) { return c.key === key; })[0].header;
  };
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(tabName);
  if (!sheet) {
    notify_(MESSAGES.approveAllNoTab(tabName), true);
    return 0;
  }
  var values = sheet.getDataRange().getValues();
  var header = values[0].map(function (h) { return String(h).trim(); });
  var approveCol = header.indexOf(headerOf('approve'));
  var statusCol = header.indexOf(headerOf('status'));
  if (approveCol < 0 || statusCol < 0) {
    notify_(MESSAGES.approveAllNoColumn(tabName, approveCol < 0 ? headerOf('approve') : headerOf('status')), true);
    return 0;
  }
  var column = [];
  var count = 0;
  for (var r = 1; r < values.length; r++) {
    var ticked = values[r][approveCol] === true;
    var open = String(values[r][statusCol]).trim() === openStatus;
    if (open && !ticked) count++;
    column.push([ticked || open]);
  }
  if (count) sheet.getRange(2, approveCol + 1, column.length, 1).setValues(column);
  notify_(MESSAGES.approvedAll(tabName, count), false);
  return count;
}
