import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';
import { readSimulatorConfig } from './devices/simulator.config';

runMain('device-simulator', async () => {
  const config = readPlatformConfig('device-simulator', 8085);
  await bootstrapService(AppModule.forRoot(config, readSimulatorConfig()), config);
});
