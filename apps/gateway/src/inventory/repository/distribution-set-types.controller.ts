import { Get, Param } from '@nestjs/common';
import { ParseIdPipe } from '@fleetwave/platform';
import { renderItems } from '../inventory-rendering';
import { entityRoutes } from '../entity-routes';
import { CreateSetTypeDto, setTypeDefinition, typeChange, UpdateTypeDto } from './repository.dto';
import { renderDistributionSetType, renderSoftwareModuleType } from './repository-rendering';

const typeId = new ParseIdPipe('DistributionSetType');

/**
 * hawkBit's distribution set types (`/rest/v1/distributionsettypes`) with their mandatory and
 * optional module types, served by rollout-command's `Repository`.
 */
export class DistributionSetTypesController extends entityRoutes({
  path: 'distributionsettypes',
  backend: 'repository',
  id: typeId,
  render: renderDistributionSetType,
  list: 'ListDistributionSetTypes',
  get: 'GetDistributionSetType',
  /** An array of set types with their module types, all or nothing; unknown module types are a 404. */
  create: {
    method: 'CreateDistributionSetTypes',
    items: CreateSetTypeDto,
    field: 'types',
    definition: setTypeDefinition,
  },
  update: { method: 'UpdateDistributionSetType', body: UpdateTypeDto, change: typeChange },
  /** A type that sets or target types still use is kept (409). */
  delete: 'DeleteDistributionSetType',
}) {
  @Get(':id/mandatorymoduletypes')
  async mandatory(@Param('id', typeId) id: number) {
    return renderItems(
      await this.backends.repository.call('ListMandatoryModuleTypes', { id }),
      renderSoftwareModuleType,
    );
  }

  @Get(':id/optionalmoduletypes')
  async optional(@Param('id', typeId) id: number) {
    return renderItems(
      await this.backends.repository.call('ListOptionalModuleTypes', { id }),
      renderSoftwareModuleType,
    );
  }
}
