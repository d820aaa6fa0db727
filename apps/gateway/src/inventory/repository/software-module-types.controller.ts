import { ParseIdPipe } from '@fleetwave/platform';
import { entityRoutes } from '../entity-routes';
import { CreateModuleTypeDto, moduleTypeDefinition, typeChange, UpdateTypeDto } from './repository.dto';
import { renderSoftwareModuleType } from './repository-rendering';

/** hawkBit's software module types (`/rest/v1/softwaremoduletypes`), served by rollout-command's `Repository`. */
export class SoftwareModuleTypesController extends entityRoutes({
  path: 'softwaremoduletypes',
  backend: 'repository',
  id: new ParseIdPipe('SoftwareModuleType'),
  render: renderSoftwareModuleType,
  list: 'ListSoftwareModuleTypes',
  get: 'GetSoftwareModuleType',
  /** An array of types, all or nothing; a taken key or name is a 409. */
  create: {
    method: 'CreateSoftwareModuleTypes',
    items: CreateModuleTypeDto,
    field: 'types',
    definition: moduleTypeDefinition,
  },
  update: { method: 'UpdateSoftwareModuleType', body: UpdateTypeDto, change: typeChange },
  /** A type that modules or set types still use is kept (409). */
  delete: 'DeleteSoftwareModuleType',
}) {}
