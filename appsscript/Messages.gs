/**
 * Every Danish text the Apps Script shows a user or writes outside the schema, in one place so it can be
 * translated. Sheet names, headers, setting cells and status texts come from SCHEMA (Schema.gs), not here.
 */
var MESSAGES = {
  title: 'Rykkerbot',
  menu: 'Rykkerbot',
  menuInstallTrigger: 'Slå planlagt kørsel til (installér trigger)',
  menuUninstallTrigger: 'Slå planlagt kørsel fra (fjern trigger)',
  unknownUser: 'ukendt',
  scheduledBy: 'Planlagt kørsel',

  queued: function (label) {
    return '"' + label + '" er sat i kø. Robotten går i gang om lidt; følg med i ' +
      setting_('robot_status').label + '.';
  },
  alreadyWaiting: function (label) {
    return '"' + label + '" venter allerede på robotten. Der er ikke oprettet et job mere; ' +
      'robotten tager det ventende job om lidt.';
  },
  approvedAll: function (tab, count) {
    return count ? count + ' forslag på fanen "' + tab + '" er godkendt (Godkend sat). Tryk derefter på ' +
      'knappen, der sender dem.' : 'Der er ingen åbne forslag at godkende på fanen "' + tab + '".';
  },
  approveAllNoTab: function (tab) {
    return 'Fanen "' + tab + '" findes ikke. Kør bootstrap for at oprette den.';
  },
  approveAllNoColumn: function (tab, header) {
    return 'Kolonnen "' + header + '" mangler i række 1 på fanen "' + tab + '". Skriv overskriften tilbage, ' +
      'eller kør bootstrap.';
  },
  busy: function (label) {
    return 'Robotten er ved at registrere et andet klik. "' + label + '" er IKKE sat i kø. ' +
      'Vent et øjeblik og klik igen.';
  },
  missingQueueId: function (property) {
    return 'Køens regneark er ikke sat op: scriptegenskaben ' + property + ' mangler i køens web-app. ' +
      'Bed din IT-ansvarlige sætte den under Projektindstillinger > Scriptegenskaber i web-appens ' +
      'Apps Script-projekt (se docs/going-live.md).';
  },
  queueNotOpened: function (property, id, error) {
    return 'Køens regneark (' + property + ' = ' + id + ') kunne ikke åbnes: ' + errorText_(error) + '. ' +
      'Tjek at id\'et er rigtigt, og at den konto køens web-app kører som, har redigeringsadgang til regnearket.';
  },
  missingClientSetting: function (property) {
    return 'Knapperne er ikke forbundet til køen: scriptegenskaben ' + property + ' mangler. ' +
      'Bed din IT-ansvarlige sætte den under Udvidelser > Apps Script > Projektindstillinger > ' +
      'Scriptegenskaber (se docs/going-live.md).';
  },
  queueUnreachable: function (error) {
    return 'Køen kunne ikke nås: ' + errorText_(error) + '. Jobbet er IKKE sat i kø. Prøv igen om lidt.';
  },
  queueBadAnswer: function (property, code) {
    return 'Køen svarede ikke som forventet (HTTP ' + code + '). Jobbet er IKKE sat i kø. ' +
      'Tjek at scriptegenskaben ' + property + ' er web-appens adresse (den slutter på /exec), og at ' +
      'web-appen er udrullet med "Udfør som: mig" og adgang for "Alle" (se docs/going-live.md).';
  },
  tokenRefused: function (property) {
    return 'Køen afviste adgangsnøglen: scriptegenskaben ' + property + ' passer ikke til dette regneark. ' +
      'Jobbet er IKKE sat i kø. Bed din IT-ansvarlige lave nøglen til dette regnearks id (se docs/going-live.md).';
  },
  badRequest: function (field) {
    return 'Køen afviste anmodningen: feltet ' + field + ' mangler eller er ugyldigt. Jobbet er IKKE sat i kø.';
  },
  gatewaySecretMissing: function (property) {
    return 'Køens web-app er ikke sat op: scriptegenskaben ' + property + ' mangler i web-appens projekt ' +
      '(se docs/going-live.md).';
  },
  gatewayName: 'Rykkerbot-køen',
  queueTabMissing: function (tab, id) {
    return 'Køens regneark (' + id + ') har ingen fane "' + tab + '". ' +
      'Opret den med: python worker.py bootstrap --spreadsheet ' + id;
  },
  queueHeaderMismatch: function (tab, expected, found) {
    return 'Fanen "' + tab + '" i køens regneark har ikke de forventede overskrifter i række 1. ' +
      'Forventet: ' + expected.join(' | ') + '. Fundet: ' + found.join(' | ') + '. ' +
      'Ret række 1, så robot og knapper er enige om kolonnerne.';
  },
  clientTabMissing: function (tab) {
    return 'Dette regneark har ingen fane "' + tab + '". Opret den med python worker.py bootstrap.';
  },
  unexpected: function (error) {
    return 'Der skete en uventet fejl: ' + errorText_(error) + '. Prøv igen; sker det igen, kontakt support.';
  },
  triggerInstalled: function (minutes, owner) {
    return 'Planlagt kørsel er slået til: scriptet kigger på Kørsel indstillinger hvert ' + minutes +
      '. minut. Tidsplanen er installeret af ' + owner + '; kun denne bruger kan fjerne den.';
  },
  triggerAlreadyInstalled: function (owner) {
    return 'Planlagt kørsel var allerede slået til. Der er ikke oprettet en trigger mere. ' +
      'Tidsplanen er installeret af ' + owner + '; kun denne bruger kan fjerne den.';
  },
  triggerOwnedByOther: function (owner) {
    return 'Tidsplanen er installeret af ' + owner + '; kun denne bruger kan fjerne den. ' +
      'Der er ikke ændret noget. Vil du standse de planlagte kørsler nu, så skriv ' + SCHEMA.yesNo.NO + ' i ' +
      settingRef_('schedule_on') + ' (' + setting_('schedule_on').label + ').';
  },
  strayTimerRemoved: function (user) {
    return 'En ekstra tidsplan installeret af ' + user + ' er fjernet; den registrerede tidsplan kører videre.';
  },
  triggerRemoved: function (count) {
    return count ? 'Planlagt kørsel er slået fra.' : 'Planlagt kørsel var ikke slået til.';
  },

  // Schedule problems; the same wording as bot/dunning/instructions.py uses for the same cells.
  scheduleProblem: function (failedStatus, ref, text) {
    return failedStatus + ' i ' + ref + ': ' + text;
  },
  scheduledRunFailed: function (failedStatus, text) {
    return failedStatus + ' (planlagt kørsel): ' + text;
  },
  emptyChoice: function (allowed) {
    return 'Feltet er tomt. Skriv ' + allowed + '.';
  },
  badChoice: function (value, allowed) {
    return '\'' + value + '\' er ikke et gyldigt valg. Skriv ' + allowed + '.';
  },
  orJoin: ' eller ',
  notAWeekday: function (token) {
    return '\'' + token + '\' er ikke en ugedag';
  },
  weekdaysOutOfOrder: function (token) {
    return '\'' + token + '\': ugedagene skal stå i rækkefølge (man-fre)';
  },
  notATime: function (token) {
    return '\'' + token + '\' er ikke et klokkeslæt';
  },
  weekdaysExample: 'ugedage som man,tir,ons,tor,fre',
  timesExample: 'klokkeslæt som 08:00,13:00',
  writeExample: function (problem, example) {
    return problem + '. Skriv ' + example + '.';
  },
  emptyWhileOn: function (example) {
    return 'Feltet er tomt, men automatisk kørsel er slået til. Skriv ' + example + '.';
  }
};

/** The message of an error, without the "Error: " prefix. */
function errorText_(error) {
  if (error && error.message) return String(error.message);
  return String(error);
}
