/**
 * The scheduled rykkerflow. A time-driven trigger calls scheduledRun() every few minutes; it reads
 * "Kørsel indstillinger" on the Instruks tab and enqueues one rykkerflow per slot. A slot is a listed
 * weekday + time that has come in Copenhagen time and is at most SLOT_WINDOW_MINUTES old; the last slot
 * enqueued is remembered in Script Properties, so a trigger that fires twice enqueues once.
 *
 * Weekdays and times are parsed exactly as bot/dunning/instructions.py parses them (the robot reads the same
 * cells); tests/test_appsscript_weekdays.py compares the two parsers.
 */

var SCHEDULE_TIME_ZONE = 'Europe/Copenhagen';
var SLOT_WINDOW_MINUTES = 120;
var LAST_SLOT_PROPERTY_PREFIX = 'rykkerbot.lastScheduledSlot.';
var SCHEDULE_LOCK_WAIT_MS = 30000;

/** Danish weekday names, Monday first (index 0 = Monday, as Python's weekday()). */
var DAY_NAMES = ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'];

/** Name or abbreviation -> 0..6: "mandag", "man", "lørdag", "lør", "loerdag", "lor", "loer". */
function weekdayAliases_() {
  var aliases = {};
  DAY_NAMES.forEach(function (name, i) {
    var short = name.slice(0, 3);
    [name, short, name.split('ø').join('oe'), short.split('ø').join('o'), short.split('ø').join('oe')]
      .forEach(function (alias) { aliases[alias] = i; });
  });
  return aliases;
}

function splitList_(text) {
  return text.trim().split(/[,;\s]+/).filter(function (t) { return t; });
}

/** "man,ons,fre", "Mandag-Fredag" -> sorted unique day numbers; throws Error with a Danish message. */
function parseWeekdays_(text) {
  var aliases = weekdayAliases_();
  var days = {};
  splitList_(text.toLowerCase()).forEach(function (token) {
    var ends = token.split('-').map(function (part) {
      var name = part.trim().replace(/\.+$/, '');
      return Object.prototype.hasOwnProperty.call(aliases, name) ? aliases[name] : null;
    });
    if (ends.length > 2 || ends.indexOf(null) >= 0) throw new Error(MESSAGES.notAWeekday(token));
    var first = ends[0];
    var last = ends[ends.length - 1];
    if (last < first) throw new Error(MESSAGES.weekdaysOutOfOrder(token));
    for (var d = first; d <= last; d++) days[d] = true;
  });
  return Object.keys(days).map(Number).sort(function (a, b) { return a - b; });
}

/** "08:00,13:00" (also "8:00", "08.00", "08:00:00") -> sorted unique "HH:MM"; throws with a Danish message. */
function parseTimes_(text) {
  var times = {};
  splitList_(text).forEach(function (token) {
    var m = /^(\d{1,2})[:.](\d{2})(?::00)?$/.exec(token);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(MESSAGES.notATime(token));
    times[(m[1].length === 1 ? '0' : '') + m[1] + ':' + m[2]] = true;
  });
  return Object.keys(times).sort();
}

/**
 * The schedule cells: {on, days, times, problems}; problems name their cell ("Fejl i Instruks!B27: ...").
 * When it is off, days and times are not read: off means nothing happens.
 */
function readSchedule_(spreadsheet) {
  var problems = [];
  var problem = function (key, text) {
    problems.push(MESSAGES.scheduleProblem(SCHEMA.jobStatus.FAILED, settingRef_(key), text));
  };
  var onText = readSetting_(spreadsheet, 'schedule_on').split(/\s+/).join(' ');
  var yes = SCHEMA.yesNo.YES;
  var no = SCHEMA.yesNo.NO;
  var allowed = '\'' + yes + '\'' + MESSAGES.orJoin + '\'' + no + '\'';
  var on = null;
  if (onText.toLowerCase() === yes.toLowerCase()) on = true;
  else if (onText.toLowerCase() === no.toLowerCase()) on = false;
  else problem('schedule_on', onText ? MESSAGES.badChoice(onText, allowed) : MESSAGES.emptyChoice(allowed));
  if (on !== true) return { on: false, days: [], times: [], problems: problems };

  var read = function (key, parse, example) {
    var parsed;
    try {
      parsed = parse(readSetting_(spreadsheet, key));
    } catch (e) {
      problem(key, MESSAGES.writeExample(errorText_(e), example));
      return [];
    }
    if (!parsed.length) problem(key, MESSAGES.emptyWhileOn(example));
    return parsed;
  };
  var days = read('schedule_days', parseWeekdays_, MESSAGES.weekdaysExample);
  var times = read('schedule_times', parseTimes_, MESSAGES.timesExample);
  return { on: true, days: days, times: times, problems: problems };
}

function pad2_(n) {
  return (n < 10 ? '0' : '') + n;
}

/**
 * The latest due slot at `now` as "yyyy-MM-dd HH:mm" Copenhagen wall-clock time, or null. Looks at today and
 * yesterday, so a 23:30 slot is still caught at 00:15. Ages are wall-clock minutes (off by an hour only for
 * a slot that straddles a daylight-saving change).
 */
function dueSlot_(days, times, now) {
  var local = Utilities.formatDate(now, SCHEDULE_TIME_ZONE, 'yyyy-MM-dd HH:mm');
  var m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(local);
  var nowMinutes = Number(m[4]) * 60 + Number(m[5]);
  var best = null;
  for (var back = 0; back <= 1; back++) {
    var day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) - back));
    var weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
    if (days.indexOf(weekday) < 0) continue;
    var date = day.getUTCFullYear() + '-' + pad2_(day.getUTCMonth() + 1) + '-' + pad2_(day.getUTCDate());
    times.forEach(function (time) {
      var age = nowMinutes + back * 24 * 60 - (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)));
      var slot = date + ' ' + time;
      if (age >= 0 && age <= SLOT_WINDOW_MINUTES && (best === null || slot > best)) best = slot;
    });
  }
  return best;
}

/** The time-driven trigger's handler (installTrigger); `e` is the trigger's event (none when run by hand). */
function scheduledRun(e) {
  if (e && e.triggerUid && !claimScheduleRun_()) return false;
  var lock = LockService.getScriptLock();
  if (!lock.tryLock(SCHEDULE_LOCK_WAIT_MS)) return false; // busy with a click: the slot stays due next time
  var spreadsheet = null;
  try {
    spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    var schedule = readSchedule_(spreadsheet);
    if (schedule.problems.length) {
      showRobotStatusOnce_(spreadsheet, schedule.problems.join(' '));
      SpreadsheetApp.flush();
      return false;
    }
    if (!schedule.on) return false;
    var slot = dueSlot_(schedule.days, schedule.times, new Date());
    if (slot === null) return false;
    var properties = PropertiesService.getScriptProperties();
    var key = LAST_SLOT_PROPERTY_PREFIX + spreadsheet.getId();
    var last = properties.getProperty(key);
    if (last && last >= slot) return false;
    var result = requestJob_(spreadsheet.getId(), SCHEMA.jobTypes.RYKKERFLOW, MESSAGES.scheduledBy);
    if (result.busy) return false; // the queue was busy: the slot stays due for the next run
    properties.setProperty(key, slot); // also when a rykkerflow was already waiting: it serves this slot
    if (result.added) {
      setRobotStatus_(spreadsheet, SCHEMA.jobStatus.WAITING);
      SpreadsheetApp.flush();
    }
    return result.added;
  } catch (e) {
    if (e && e.userMessage && spreadsheet) {
      showRobotStatusOnce_(spreadsheet, MESSAGES.scheduledRunFailed(SCHEMA.jobStatus.FAILED, e.userMessage));
      SpreadsheetApp.flush();
      return false;
    }
    throw e;
  } finally {
    lock.releaseLock();
  }
}
