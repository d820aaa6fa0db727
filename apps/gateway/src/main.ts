import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';
import { parseUsers } from './auth/users';
import { readUpstreams } from './proxy/upstreams';

runMain('gateway', async () => {
  const config = readPlatformConfig('gateway', 8080);
  await bootstrapService(AppModule.forRoot(parseUsers(process.env.FLEETWAVE_USERS), readUpstreams()), config);
});
