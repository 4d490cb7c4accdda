import type { FiguresOverview } from '../api/types';
import type { Wire } from './wire';

/**
 * The dashboard's figures pushed on `/supervision` (libs/contracts supervision-events.ts): the
 * sockets of the secretariat, supervisors and leaders are in the room `figures` from the
 * handshake on, and get the whole unfiltered overview (`GET /api/figures`) as `figures.updated`
 * after any change that may move a figure. Each push replaces the last; a dashboard never polls.
 */
export const FIGURES_UPDATED = 'figures.updated';

/** The push is typed `unknown` on the wire: only an overview's shape is taken. */
export function isFiguresOverview(v: unknown): v is FiguresOverview {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<FiguresOverview>;
  return (
    typeof o.today === 'string' &&
    Array.isArray(o.figures) &&
    o.figures.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.code === 'string' &&
        typeof f.total === 'number' &&
        Array.isArray(f.parts),
    )
  );
}

/** Calls `on` with every well-formed overview pushed; anything else is dropped. */
export function watchFigures(wire: Wire, on: (overview: FiguresOverview) => void): void {
  wire.onPush(FIGURES_UPDATED, (payload) => {
    if (isFiguresOverview(payload)) on(payload);
  });
}
