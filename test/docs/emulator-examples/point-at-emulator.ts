import { MoniteAuthModule } from 'nestjs-monite-auth';

export const moniteAgainstTheEmulator = MoniteAuthModule.forRoot({
  clientId: '00000000-0000-4000-8000-000000000001',
  clientSecret: 'demo-secret-not-for-production',
  apiUrl: 'http://127.0.0.1:4010/v1',
});
