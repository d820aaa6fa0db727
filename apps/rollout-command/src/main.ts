import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';

runMain('rollout-command', async () => {
  const config = readPlatformConfig('rollout-command', 8081);
  await bootstrapService(AppModule.forRoot(config), config);
});
