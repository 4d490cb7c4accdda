/* The house rule "no context reads another context's tables", checked on the sources: every
 * table named in SQL (FROM, JOIN, INTO, UPDATE, DELETE FROM) belongs to the context whose code
 * names it; the event log is read only by the event-log service; the edge (apps/) names no
 * table at all. Migrations are the schema's own history and are left out. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : files(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** table → the context (libs/<context>) whose entity defines it. */
function owners(): Map<string, string> {
  const owner = new Map<string, string>();
  for (const file of files(join(ROOT, 'libs')).filter((f) => f.endsWith('.entity.ts'))) {
    const context = relative(join(ROOT, 'libs'), file).split(sep)[0];
    for (const m of readFileSync(file, 'utf8').matchAll(/@Entity\(\{\s*name:\s*'([a-z_]+)'/g))
      owner.set(m[1], context);
  }
  return owner;
}

/** Table names in SQL text (string and template literals) of a source file. */
function tablesNamed(source: string, known: Set<string>): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?/g)) {
    const table = m[1];
    if (known.has(table)) found.push(table);
  }
  return found;
}

describe('boundaries between contexts', () => {
  const owner = owners();
  const known = new Set(owner.keys());

  it('knows the tables of every context', () => {
    expect(owner.get('meeting')).toBe('meetings');
    expect(owner.get('input')).toBe('live');
    expect(owner.get('task_item')).toBe('handling');
    expect(owner.get('participant')).toBe('directory');
    expect(owner.get('event_log')).toBe('platform');
    expect(owner.size).toBeGreaterThan(25);
  });

  it('no context names another context’s table in SQL', () => {
    const trespass: string[] = [];
    for (const file of files(join(ROOT, 'libs'))) {
      const context = relative(join(ROOT, 'libs'), file).split(sep)[0];
      for (const table of tablesNamed(readFileSync(file, 'utf8'), known))
        if (owner.get(table) !== context)
          trespass.push(`${relative(ROOT, file)} → ${table} (${owner.get(table)})`);
    }
    expect(trespass).toEqual([]);
  });

  it('the event log and the audit log are written and read only by their services', () => {
    const outside: string[] = [];
    const allowed: Record<string, string[]> = {
      event_log: ['libs/platform/src/events/event-log.service.ts'],
      event_stream: ['libs/platform/src/events/event-log.service.ts'],
      audit_log: ['libs/platform/src/audit/audit.service.ts'],
    };
    for (const file of files(join(ROOT, 'libs'))) {
      const path = relative(ROOT, file).split(sep).join('/');
      for (const table of tablesNamed(readFileSync(file, 'utf8'), known))
        if (allowed[table] && !allowed[table].includes(path)) outside.push(`${path} → ${table}`);
    }
    expect(outside).toEqual([]);
  });

  it('the edge names no table: controllers and gateways call services', () => {
    const named = files(join(ROOT, 'apps')).flatMap((file) =>
      tablesNamed(readFileSync(file, 'utf8'), known).map((t) => `${relative(ROOT, file)} → ${t}`),
    );
    expect(named).toEqual([]);
  });
});
