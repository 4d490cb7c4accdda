import type { FiguresOverview } from '../api/types';
import { FakeWire } from './fake-wire';
import { FIGURES_UPDATED, isFiguresOverview, watchFigures } from './figures-feed';

const overview = (closed: number): FiguresOverview => ({
  today: '2026-11-22',
  filter: {},
  figures: [
    {
      code: 'assigned',
      name: { zh: '交办件数', en: 'Items assigned' },
      definition: { zh: '', en: '' },
      counts: 'items',
      total: 1,
      numerator: null,
      value: null,
      numeratorParts: null,
      parts: [{ code: 'closed', name: { zh: '已销号', en: 'closed out' }, count: closed, share: closed }],
      filtersApplied: [],
    },
  ],
});

describe('figures feed (figures.updated on /supervision)', () => {
  it('hands on each pushed overview, the last one replacing the earlier', () => {
    const wire = new FakeWire();
    const seen: FiguresOverview[] = [];
    watchFigures(wire, (o) => seen.push(o));
    wire.push(FIGURES_UPDATED, overview(0));
    wire.push(FIGURES_UPDATED, overview(1));
    expect(seen.map((o) => o.figures[0].parts[0].count)).toEqual([0, 1]);
  });

  it('drops pushes that are not an overview', () => {
    const wire = new FakeWire();
    const seen: FiguresOverview[] = [];
    watchFigures(wire, (o) => seen.push(o));
    for (const bad of [
      null,
      'x',
      { today: '2026-11-22' },
      { today: 1, figures: [] },
      { today: 'd', figures: [{}] },
    ])
      wire.push(FIGURES_UPDATED, bad);
    wire.push('channel.events', overview(1));
    expect(seen).toEqual([]);
    expect(isFiguresOverview(overview(0))).toBe(true);
  });
});
