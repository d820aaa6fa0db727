import {
  ArgumentMetadata,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  PipeTransform,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { InternalServiceKey } from '@fleetwave/contracts';
import { ListQuery, ParseBodyPipe, ParseIdPipe, ParseItemsPipe } from '@fleetwave/platform';
import { callerMessage } from '../auth/authorize';
import { ManagementApiGuard, type AuthorizedRequest } from '../auth/management-api.guard';
import { BACKENDS, type Backends } from '../backends';
import { listMessage } from '../rollouts/rollout-api';
import { renderItems, renderPage } from './inventory-rendering';

type Json = Record<string, unknown>;
type Dto<T> = new () => T;

/** A create body that is a JSON array of `items` (all or nothing), answered with the created entities. */
export interface CreateItems<T extends object> {
  method: string;
  items: Dto<T>;
  /** The internal create message's field that lists the new entities. */
  field: string;
  /** One validated item as its entry in that list. */
  definition: (item: T) => object;
}

/** A create body that is one `body` object, answered with the created entity. */
export interface CreateOne<T extends object> {
  method: string;
  body: Dto<T>;
  /** The validated body as the fields of the internal create message. */
  message: (body: T) => object;
}

/** What one hawkBit collection's routes call and how they answer. */
export interface EntityRoutesSpec<C extends object, U extends object> {
  /** The collection under `rest/v1/`. */
  path: string;
  /** The internal service that holds the entities. */
  backend: InternalServiceKey;
  /** Parses the `:id` path parameter; its entity name is the one an unknown id's 404 names. */
  id: ParseIdPipe;
  /** hawkBit's JSON of one internal entity message. */
  render: (entity: Json) => unknown;
  /** Internal method of the list route (a page of entities). */
  list: string;
  /** Internal method of the get route (one entity by id). */
  get: string;
  create: CreateItems<C> | CreateOne<C>;
  update: {
    method: string;
    body: Dto<U>;
    /** The validated body as the changed fields of the internal update message. */
    change: (body: U) => object;
  };
  /** Internal method of the delete route. */
  delete: string;
}

/** A body pipe that validates with `validate` and hands on the fields `message` makes of the result. */
const messagePipe = <T>(
  validate: PipeTransform<unknown, T | Promise<T>>,
  message: (body: T) => object,
): PipeTransform<unknown, Promise<object>> => ({
  transform: async (value: unknown, metadata: ArgumentMetadata) => message(await validate.transform(value, metadata)),
});

/**
 * A controller base class serving one hawkBit collection (`/rest/v1/<path>`) behind the
 * Management API guard: list (a page), get by id, create (201), update (PUT, the changed fields)
 * and delete (204), each a call of `spec.backend` with the caller where it changes something.
 * A subclass adds the collection's other routes and reaches the service through `backends`.
 */
export function entityRoutes<C extends object, U extends object>(spec: EntityRoutesSpec<C, U>) {
  // The handlers' body parameters are not typed as the DTO classes, which the global validation
  // pipe would then pass unchecked; each body is validated by a pipe given its class instead.
  const create = spec.create;
  const createBody =
    'items' in create
      ? messagePipe(new ParseItemsPipe(create.items), (items) => ({ [create.field]: items.map(create.definition) }))
      : messagePipe(new ParseBodyPipe(create.body), create.message);
  const renderCreated = (answer: Json) => ('items' in create ? renderItems(answer, spec.render) : spec.render(answer));
  const updateBody = messagePipe(new ParseBodyPipe(spec.update.body), spec.update.change);

  @UseGuards(ManagementApiGuard)
  @Controller(`rest/v1/${spec.path}`)
  class EntityRoutes {
    constructor(@Inject(BACKENDS) protected readonly backends: Backends) {}

    @Get()
    async list(@Query() query: ListQuery) {
      return renderPage(await this.backends[spec.backend].call(spec.list, listMessage(query)), spec.render);
    }

    @Get(':id')
    async get(@Param('id', spec.id) id: number) {
      return spec.render(await this.backends[spec.backend].call(spec.get, { id }));
    }

    @Post()
    @HttpCode(201)
    async create(@Req() req: AuthorizedRequest, @Body(createBody) message: object) {
      const answer = await this.backends[spec.backend].call(create.method, {
        caller: callerMessage(req.caller),
        ...message,
      });
      return renderCreated(answer);
    }

    @Put(':id')
    async update(@Req() req: AuthorizedRequest, @Param('id', spec.id) id: number, @Body(updateBody) change: object) {
      const answer = await this.backends[spec.backend].call(spec.update.method, {
        caller: callerMessage(req.caller),
        id,
        ...change,
      });
      return spec.render(answer);
    }

    @Delete(':id')
    @HttpCode(204)
    async delete(@Req() req: AuthorizedRequest, @Param('id', spec.id) id: number): Promise<void> {
      await this.backends[spec.backend].call(spec.delete, { caller: callerMessage(req.caller), id });
    }
  }
  return EntityRoutes;
}
