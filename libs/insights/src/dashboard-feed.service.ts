import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { FIGURES_PUSH_INTERVAL_MS, unitOfStream } from '@liexi/contracts';
import { Db, EventLogService } from '@liexi/platform';
import { Subject, type Subscription } from 'rxjs';
import { type FiguresOverview, FiguresService } from './figures.service';

/** Events of a meeting stream that move a figure (inputs, attendance, a closed poll). */
const MEETING_EVENTS = new Set(['input.submitted', 'attendance.changed', 'poll.closed', 'task.created']);

/**
 * The supervision dashboard's figures, pushed when they change: every committed event that may
 * move a figure (task changes on unit streams, inputs, attendance, closed polls — on any node)
 * marks the figures dirty; at most once per FIGURES_PUSH_INTERVAL_MS, and only while someone
 * listens on this node, the overview is recomputed from the records and emitted whole.
 */
@Injectable()
export class DashboardFeedService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('DashboardFeed');
  readonly updates = new Subject<FiguresOverview>();
  private subscription?: Subscription;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private listeners: () => number = () => 0;

  constructor(
    private readonly events: EventLogService,
    private readonly figures: FiguresService,
    private readonly db: Db,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (unitOfStream(stream) || (stream.startsWith('meeting:') && MEETING_EVENTS.has(event.type)))
        this.touch();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.subscription?.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** How many dashboards listen on this node (the gateway tells). */
  listenWith(count: () => number): void {
    this.listeners = count;
  }

  /** Something changed: recompute soon (coalesced). */
  touch(): void {
    this.dirty = true;
    if (this.timer || this.running) return;
    this.timer = setTimeout(() => this.flush(), FIGURES_PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    if (this.listeners() === 0) return;
    this.running = this.db
      .detached(() => this.figures.overview({}))
      .then((overview) => this.updates.next(overview))
      .catch((err: unknown) => this.logger.warn(`dashboard figures failed: ${String(err)}`))
      .finally(() => {
        this.running = null;
        if (this.dirty) this.touch();
      });
  }
}
