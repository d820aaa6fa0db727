import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';

runMain('reporting', async () => {
  const config = readPlatformConfig('reporting', 8084);
  await bootstrapService(AppModule.forRoot(config), config);
});
