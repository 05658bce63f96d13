// A catalogue's JSON as systab lays it out: plain JSON whose big records (`prototypes`,
// `tables`, `archConfig`) hold one member per line. Read back, each member is parsed when first used:
// a check asks for a few hundred of the catalogue's 1,400 entry points and one of its 17
// tables, and parsing all of it was most of a cold start's catalogue time.

/** The records laid out one member per line. */
const SECTIONS = ['archConfig', 'prototypes', 'tables'];

/** `value` as JSON, with the members of each top-level record in SECTIONS on lines of their own (still valid JSON). */
export function layOut(value: Record<string, unknown>): string {
  const parts = Object.entries(value).map(([k, v]) => {
    const key = JSON.stringify(k);
    if (!SECTIONS.includes(k) || !v || typeof v !== 'object' || Array.isArray(v) || !Object.keys(v).length)
      return `${key}:${JSON.stringify(v)}`;
    const members = Object.entries(v as Record<string, unknown>).map(
      ([m, x]) => `${JSON.stringify(m)}:${JSON.stringify(x)}`,
    );
    return `${key}:{\n${members.join(',\n')}\n}`;
  });
  return `{${parts.join(',')}}`;
}

/**
 * Parse JSON that layOut wrote, each member of a laid-out record parsed on first use (see
 * lazyRecord); any other JSON is parsed whole. A raw newline
 * is whitespace between tokens in JSON (one inside a string is escaped), so the lines mark
 * the layout unambiguously.
 */
export function parseLaidOut(text: string): unknown {
  if (!text.includes(':{\n')) return JSON.parse(text);
  const lines = text.split('\n');
  let skeleton = '';
  const sections: { key: string; members: [string, string][] }[] = [];
  let open: { key: string; members: [string, string][] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open && !line.startsWith('}')) {
      const at = line.indexOf('":');
      if (!line.startsWith('"') || at < 0 || line[at - 1] === '\\') return JSON.parse(text);
      const end = line.endsWith(',') ? line.length - 1 : line.length;
      const name =
        line.indexOf('\\') < 0 || line.indexOf('\\') > at
          ? line.slice(1, at)
          : (JSON.parse(line.slice(0, at + 1)) as string);
      open.members.push([name, line.slice(at + 2, end)]);
      continue;
    }
    // A line of the skeleton: it may close a section, open the next, or end the text.
    if (open) sections.push(open);
    skeleton += line;
    const m = /"(\w+)":\{$/.exec(line);
    open = m && SECTIONS.includes(m[1]) ? { key: m[1], members: [] } : undefined;
    if (!open && i < lines.length - 1) return JSON.parse(text); // not our layout
  }
  if (open) return JSON.parse(text);
  const out = JSON.parse(skeleton) as Record<string, Record<string, unknown>>;
  for (const { key, members } of sections) {
    if (!out[key] || typeof out[key] !== 'object' || Object.keys(out[key]).length) return JSON.parse(text);
    out[key] = lazyRecord(members, key);
  }
  return out;
}

/** A member not parsed yet. */
const PENDING = Symbol('pending');

/**
 * A record whose members are parsed when first read. Its target holds every key from the
 * start, in the file's order (a placeholder for each value), so that keys, `in`, entries and
 * JSON.stringify see the record as it was written; a read replaces the placeholder. (Only a
 * property descriptor asked for directly shows the placeholder: enumerating does not parse.)
 */
function lazyRecord(members: [string, string][], section: string): Record<string, unknown> {
  const json = new Map(members);
  const target: Record<string, unknown> = {};
  for (const [name] of members) target[name] = PENDING;
  const settle = (t: Record<string, unknown>, name: string) => {
    try {
      t[name] = JSON.parse(json.get(name)!);
    } catch {
      throw new Error(`the catalogue is damaged: ${section} ${JSON.stringify(name)} is not JSON`);
    }
    json.delete(name);
  };
  return new Proxy(target, {
    get(t, name, receiver) {
      if (typeof name === 'string' && t[name] === PENDING) settle(t, name);
      return Reflect.get(t, name, receiver);
    },
  });
}
