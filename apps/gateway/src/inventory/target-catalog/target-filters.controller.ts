import { ParseIdPipe } from '@fleetwave/platform';
import { entityRoutes } from '../entity-routes';
import { CreateTargetFilterDto, givenFields, UpdateTargetFilterDto } from './target-catalog.dto';
import { renderTargetFilter } from './target-catalog-rendering';

/**
 * hawkBit's saved target filters (`/rest/v1/targetfilters`), served by rollout-command's
 * `TargetCatalog`, which compiles a query before it stores it (a malformed one is a 400).
 */
export class TargetFiltersController extends entityRoutes({
  path: 'targetfilters',
  backend: 'catalog',
  id: new ParseIdPipe('TargetFilterQuery'),
  render: renderTargetFilter,
  list: 'ListTargetFilters',
  get: 'GetTargetFilter',
  create: {
    method: 'CreateTargetFilter',
    body: CreateTargetFilterDto,
    message: ({ name, query }) => ({ name, query }),
  },
  update: { method: 'UpdateTargetFilter', body: UpdateTargetFilterDto, change: givenFields },
  delete: 'DeleteTargetFilter',
}) {}
