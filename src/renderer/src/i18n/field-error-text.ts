import { i18n } from './setup-i18n';

// The shared schemas (and the service) word their rules in English; every form shows them in the
// UI's language. Each known message maps to a catalogue key; one not known here is shown as sent.
const MESSAGES: Array<[RegExp, string]> = [
  [/^is required$/, 'required'],
  [/^must be a whole number$/, 'wholeNumber'],
  [/^must be a number$/, 'number'],
  [/^must be at least (?<min>\d+)$/, 'atLeast'],
  [/^must be greater than 0$/, 'positive'],
  [/^must not be empty$/, 'notEmpty'],
  [/^must be at most (?<max>[\d,]+) characters$/, 'maxChars'],
  [/^must be an IPv4 or IPv6 address$/, 'ip'],
  [/^must be an IPv4 or IPv6 address, or a DNS name/, 'address'],
  [/^must be a slug/, 'slug'],
  [/^must not contain spaces/, 'hostname'],
  [/^may contain only letters, digits/, 'tagChars'],
  [/^tags must be unique$/, 'tagsUnique'],
  [/^must be a port between 1 and 65535$/, 'port'],
  [/^must be a valid user name$/, 'userName'],
  [/^must start with \/$/, 'path'],
  [/^must be one of master, worker, storage$/, 'role'],
  [/^must not contain control characters/, 'description'],
  [/^is already used by node "(?<node>.+)"$/, 'addressTaken'],
  [/^already exists$/, 'exists'],
  [/^is not a known field$/, 'unknownField'],
  // The service spec's own words (the deploy form).
  [/^must be a string$/, 'text'],
  [/^must be letters, digits and inner dashes/, 'dnsLabel'],
  [/^must be an image reference/, 'imageRef'],
  [/^must be a number of CPUs$/, 'cpus'],
  [/^must be more than (?<min>[\d.]+)$/, 'moreThan'],
  [/^must be at most (?<max>\d+)$/, 'atMost'],
  [/^must be a whole number of MB$/, 'wholeMb'],
  [/^must be at least (?<min>\d+) MB \(Docker's minimum\)$/, 'memoryMin'],
  [/^must be at most (?<max>\d+) MB$/, 'memoryMax'],
  [/^must be a port number$/, 'portNumber'],
  [/^must be between 1 and 65535$/, 'portRange'],
  [/^must be tcp or udp$/, 'protocol'],
  [/^must be a variable name/, 'envName'],
  [/^must have at least the program$/, 'program'],
  [/^at most (?<max>\d+) (?:variables|arguments|tags|ports|peers|probes)$/, 'atMostEntries'],
  [/^must be replicated, global or standalone$/, 'mode'],
  [/^a global service runs one task per node/, 'globalReplicas'],
  [/^a standalone service is one container/, 'standaloneReplicas'],
  [/^only a replicated service has a per-node limit/, 'perNodeReplicated'],
  [/^roles must be unique$/, 'rolesUnique'],
  // The alert channel, peer, token and node forms.
  [/^must be 1-64 lowercase letters, digits, - or _$/, 'channelId'],
  [/^must be an http\(s\) URL$/, 'httpUrl'],
  [/^must be an http:\/\/ or https:\/\/ address/, 'peerUrl'],
  [/^must not carry a user or password/, 'urlCredentials'],
  [/^plain http:\/\/ would send the token in the clear/, 'plainHttpToken'],
  [/^peers must have different URLs$/, 'peersUnique'],
  [/^must be at least (?<min>[\d.]+) s$/, 'atLeastSeconds'],
  [/^must be at most (?<max>[\d,]+) s$/, 'atMostSeconds'],
  [/^must be an email address$/, 'email'],
  [/^needs at least one recipient$/, 'recipients'],
  [/^needs at least one Alertmanager URL$/, 'amUrls'],
  [/^must list at most (?<max>\d+) (?:URLs|Alertmanager peers)$/, 'listAtMost'],
  [/^must be letters, digits, spaces and _ \. @ : -$/, 'tokenName'],
  [/^must be a word \(letters, digits, _ \+ -\)$/, 'word'],
  [/^must be unix:\/\/\/path\/to\/docker\.sock or tcp:\/\/host:port$/, 'dockerHost'],
  [/^must be a Swarm node hostname or ID$/, 'swarmNode'],
  [/^must be one status or \[min, max\]$/, 'statusRange'],
  [/^must be an OpenSSH SHA256 fingerprint/, 'fingerprint'],
  [/^must be a port between 0 and 65535$/, 'port0'],
  [/^Invalid input/, 'invalid'],
];

/**
 * A field error in the UI's language: by a known message (the form's own wording), else by the
 * general code the service and the shared schemas attach (`validation.<code>`), else as sent.
 */
export function translateMessage(message: string, code?: string, params?: Record<string, string | number>): string {
  if (!i18n.isInitialized) return message;
  const t = i18n.t as (key: string, values: object) => string;
  for (const [pattern, key] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return t(`form.errors.${key}`, match.groups ?? {});
  }
  return code && i18n.exists(`validation.${code}`) ? t(`validation.${code}`, params ?? {}) : message;
}
