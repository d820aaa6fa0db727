import { Controller, Get, Param } from '@nestjs/common';
import { ParseIdPipe } from '@fleetwave/platform';
import { AuditQueries, type AuditView } from './audit.queries';

const parseRolloutId = new ParseIdPipe('Rollout');

/** The decision audit of a rollout, from the decision-audit projection. */
@Controller('rest/v1/rollouts')
export class AuditController {
  constructor(private readonly queries: AuditQueries) {}

  @Get(':id/audit')
  audit(@Param('id', parseRolloutId) id: number): Promise<AuditView[]> {
    return this.queries.audit(id);
  }
}
