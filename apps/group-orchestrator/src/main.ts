import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';

runMain('group-orchestrator', async () => {
  const config = readPlatformConfig('group-orchestrator', 8082);
  await bootstrapService(AppModule.forRoot(config), config);
});
