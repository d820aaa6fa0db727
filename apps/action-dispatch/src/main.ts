import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';

runMain('action-dispatch', async () => {
  const config = readPlatformConfig('action-dispatch', 8083);
  await bootstrapService(AppModule.forRoot(config), config);
});
