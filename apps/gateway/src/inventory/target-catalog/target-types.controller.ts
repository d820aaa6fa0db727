import { Get, Param } from '@nestjs/common';
import { ParseIdPipe } from '@fleetwave/platform';
import { renderItems } from '../inventory-rendering';
import { entityRoutes } from '../entity-routes';
import { renderDistributionSetType } from '../repository/repository-rendering';
import { CreateTargetTypeDto, givenFields, UpdateTargetTypeDto } from './target-catalog.dto';
import { renderTargetType } from './target-catalog-rendering';

const typeId = new ParseIdPipe('TargetType');

/** A validated create item as the internal `NewTargetType`. */
const newTargetType = ({ compatibledistributionsettypes, ...type }: CreateTargetTypeDto) => ({
  ...givenFields(type),
  compatibleSetTypeIds: (compatibledistributionsettypes ?? []).map((t) => t.id),
});

/**
 * hawkBit's target types (`/rest/v1/targettypes`) with the distribution set types each is
 * compatible with, served by rollout-command's `TargetCatalog`.
 */
export class TargetTypesController extends entityRoutes({
  path: 'targettypes',
  backend: 'catalog',
  id: typeId,
  render: renderTargetType,
  list: 'ListTargetTypes',
  get: 'GetTargetType',
  /** An array of target types, all or nothing. */
  create: { method: 'CreateTargetTypes', items: CreateTargetTypeDto, field: 'types', definition: newTargetType },
  update: { method: 'UpdateTargetType', body: UpdateTargetTypeDto, change: givenFields },
  /** A type some target still has is kept (409). */
  delete: 'DeleteTargetType',
}) {
  @Get(':id/compatibledistributionsettypes')
  async compatible(@Param('id', typeId) id: number) {
    return renderItems(await this.backends.catalog.call('ListCompatibleSetTypes', { id }), renderDistributionSetType);
  }
}
