import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DatabaseHealth, DatabaseHealthService, DrainState, Public } from '@liexi/platform';
import type { Response } from 'express';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: DatabaseHealthService,
    private readonly drain: DrainState,
  ) {}

  /**
   * Readiness: 200 when the database answers, 503 `{database:"down"}` when not; always within 1 s.
   * 503 `{status:"draining"}` once the node is shutting down (SIGTERM), so the balancer sends nothing new.
   */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, 503 when it does not (≤ 1 s)' })
  async ready(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: 'ok' | 'unavailable' | 'draining' } & DatabaseHealth> {
    const db = await this.health.check();
    res.setHeader('Cache-Control', 'no-store');
    if (this.drain.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'draining', ...db };
    }
    if (db.database === 'down') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: db.database === 'ok' ? 'ok' : 'unavailable', ...db };
  }

  /** Liveness: the process answers (no database involved). */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up (no database involved)' })
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }
}
