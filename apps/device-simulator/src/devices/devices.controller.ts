import { Body, Controller, Get, HttpCode, Post, ValidationPipe } from '@nestjs/common';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { deviceBehaviours, deviceIdAt, deviceRange, type DeviceBehaviour } from './device-registry';
import { SimulatorRuntime } from './simulator.runtime';

export class RegisterDevicesDto {
  @IsString() @IsNotEmpty() @Matches(/^[A-Za-z0-9_.-]+$/) prefix!: string;
  @IsInt() @Min(1) @Max(1_000_000) count!: number;
  @IsOptional() @IsInt() @Min(1) start?: number;
  @IsOptional() @IsIn(deviceBehaviours) behaviour?: DeviceBehaviour;
  @IsOptional() @IsObject() attributes?: Record<string, string>;
}

/**
 * Control API of the simulator: register a batch of devices that announce themselves with
 * THING_CREATED. Answers 201 once Kafka has acknowledged every announcement.
 */
@Controller('simulator/devices')
export class DevicesController {
  constructor(private readonly runtime: SimulatorRuntime) {}

  @Post()
  @HttpCode(201)
  async register(@Body(new ValidationPipe({ transform: true })) body: RegisterDevicesDto) {
    const range = deviceRange(body.prefix, body.count, body.start ?? 1, body.behaviour ?? 'succeed');
    await this.runtime.register(range, body.attributes ?? {});
    return { registered: range.count, first: deviceIdAt(range, 0), last: deviceIdAt(range, range.count - 1) };
  }

  @Get()
  status() {
    return { devices: this.runtime.registry.size, answered: this.runtime.answered };
  }
}
