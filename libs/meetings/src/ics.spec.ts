import { escapeText, foldLine, icsDate, renderIcs } from './ics';

describe('ics', () => {
  it('writes UTC times', () => {
    expect(icsDate(new Date('2026-03-15T09:30:00+08:00'))).toBe('20260315T013000Z');
  });

  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'县政府常务会议'.repeat(10)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const p of physical) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    for (const p of physical.slice(1)) expect(p.startsWith(' ')).toBe(true);
    // Unfolding gives back the original line.
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('leaves short lines alone', () => {
    expect(foldLine('VERSION:2.0')).toBe('VERSION:2.0');
  });

  it('renders one VEVENT with CRLF line endings', () => {
    const text = renderIcs({
      uid: 'abc@liexi',
      start: new Date('2026-03-15T01:30:00Z'),
      end: new Date('2026-03-15T03:30:00Z'),
      summary: '常务会议, 第12次',
      location: '第一会议室',
      stamp: new Date('2026-03-01T00:00:00Z'),
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lines = text.split('\r\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VEVENT',
        'UID:abc@liexi',
        'DTSTART:20260315T013000Z',
        'DTEND:20260315T033000Z',
        'DTSTAMP:20260301T000000Z',
        'SUMMARY:常务会议\\, 第12次',
        'LOCATION:第一会议室',
        'END:VEVENT',
      ]),
    );
  });
});
