import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { HawkbitHttpError } from './hawkbit-error';
import { HawkbitValidationPipe } from './hawkbit-validation.pipe';
import { ParseBodyPipe } from './parse-body.pipe';

class PartDto {
  @IsInt() id!: number;
}

class ThingDto {
  @IsString() @MaxLength(8) name!: string;
  @IsOptional() @ValidateNested() @Type(() => PartDto) part?: PartDto;
}

/** How a generic handler's body parameter is reflected. */
const untyped: ArgumentMetadata = { type: 'body', metatype: Object };
const typed: ArgumentMetadata = { type: 'body', metatype: ThingDto };

const outcome = (answer: Promise<unknown>) =>
  answer.then(
    (value) => ({ value }),
    (error: unknown) => {
      if (error instanceof HawkbitHttpError) return { status: error.getStatus(), body: error.body };
      throw error;
    },
  );

describe('ParseBodyPipe', () => {
  const pipe = new ParseBodyPipe(ThingDto);

  it('validates the body as its DTO even where the parameter is reflected as Object', async () => {
    const body = { name: 'box', part: { id: 'x' } };
    await expect(new HawkbitValidationPipe().transform(body, untyped)).resolves.toBe(body);
    await expect(outcome(pipe.transform(body, untyped))).resolves.toEqual({
      status: 400,
      body: {
        exceptionClass: 'ConstraintViolationException',
        errorCode: 'hawkbit.server.error.repo.constraintViolation',
        message: 'part.id must be an integer number',
      },
    });
  });

  it('hands on an instance of the DTO without unknown properties', async () => {
    const body = await pipe.transform({ name: 'box', part: { id: 3, colour: 'red' }, extra: true }, untyped);
    expect(body).toBeInstanceOf(ThingDto);
    expect(body.part).toBeInstanceOf(PartDto);
    expect(body).toEqual({ name: 'box', part: { id: 3 } });
  });

  it.each([
    [{ name: 'far too long' }],
    [{}],
    [{ name: 'box', part: { id: 'x' } }],
    [{ name: 'box', part: 'x' }],
    [[{ name: 'box' }]],
    ['box'],
    [null],
    [undefined],
  ])('answers %j exactly as the global pipe answers a DTO-typed body', async (value) => {
    const global = await outcome(new HawkbitValidationPipe().transform(value, typed));
    expect(global).toHaveProperty('status', 400);
    await expect(outcome(pipe.transform(value, untyped))).resolves.toEqual(global);
  });
});
