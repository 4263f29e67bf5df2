import type { Provider } from '@nestjs/common';
import { MoniteClient } from './monite.client.js';

/** Providers of this folder, registered and exported by MoniteAuthModule. */
export const clientProviders: Provider[] = [MoniteClient];
