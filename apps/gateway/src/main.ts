import 'reflect-metadata';
import { bootstrapService, readPlatformConfig, runMain } from '@fleetwave/platform';
import { AppModule } from './app.module';
import { parseTokens, parseUsers } from './auth/users';
import { readUpstreams } from './upstreams';
import { readGrpcSettings } from './grpc/rollout-grpc.server';

runMain('gateway', async () => {
  const config = readPlatformConfig('gateway', 8080);
  const users = parseUsers(process.env.FLEETWAVE_USERS);
  const tokens = parseTokens(process.env.FLEETWAVE_TOKENS, users);
  await bootstrapService(AppModule.forRoot(users, readUpstreams(), { grpc: readGrpcSettings(), tokens }), config);
});
