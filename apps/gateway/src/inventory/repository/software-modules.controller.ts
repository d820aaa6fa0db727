import { ParseIdPipe } from '@fleetwave/platform';
import { entityRoutes } from '../entity-routes';
import {
  CreateSoftwareModuleDto,
  softwareModuleChange,
  softwareModuleDefinition,
  UpdateSoftwareModuleDto,
} from './repository.dto';
import { renderSoftwareModule } from './repository-rendering';

/**
 * hawkBit's software modules (`/rest/v1/softwaremodules`, their artifacts aside), served by
 * rollout-command's `Repository`.
 */
export class SoftwareModulesController extends entityRoutes({
  path: 'softwaremodules',
  backend: 'repository',
  id: new ParseIdPipe('SoftwareModule'),
  render: renderSoftwareModule,
  list: 'ListSoftwareModules',
  get: 'GetSoftwareModule',
  /** An array of modules, all or nothing: an unknown type is a 404, a known name+version+type a 409. */
  create: {
    method: 'CreateSoftwareModules',
    items: CreateSoftwareModuleDto,
    field: 'modules',
    definition: softwareModuleDefinition,
  },
  update: { method: 'UpdateSoftwareModule', body: UpdateSoftwareModuleDto, change: softwareModuleChange },
  /** A module some distribution set holds stays readable as deleted; any other is removed. */
  delete: 'DeleteSoftwareModule',
}) {}
