/**
 * Telling the user: an alert for problems (it waits to be read), a toast for "done". Time-driven triggers
 * have no UI; there the message goes to the execution log only.
 */

function notify_(message, isProblem) {
  var ui;
  try {
    ui = SpreadsheetApp.getUi();
  } catch (e) {
    console.log(message);
    return;
  }
  if (isProblem) {
    ui.alert(MESSAGES.title, message, ui.ButtonSet.OK);
  } else {
    SpreadsheetApp.getActiveSpreadsheet().toast(message, MESSAGES.title, 10);
  }
}
