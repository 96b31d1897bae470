// The signed-in console's page modules, asked in turn; the first that owns the path answers.
import type { ConsoleResponse } from '../index.js';
import type { Kit, PageRequest, PageRoute } from '../kit.js';
import { accessKeyRoutes } from './access-keys.js';
import { hardwareRoutes } from './mfa-hardware.js';
import { userRoutes } from './users.js';
import { userProtectionRoutes } from './user-protections.js';
import { groupRoutes } from './groups.js';
import { policyRoutes } from './policies.js';
import { accountRoutes } from './account.js';
import { dashboardRoutes } from './dashboard.js';
import { eventRoutes } from './events.js';
import { mfaSettingsRoutes } from './mfa-settings.js';
import { recoveryRoutes } from './recovery-codes.js';

const ROUTES: readonly PageRoute[] = [dashboardRoutes, accessKeyRoutes, hardwareRoutes, userRoutes, userProtectionRoutes, groupRoutes, policyRoutes, mfaSettingsRoutes, recoveryRoutes, accountRoutes, eventRoutes];

export async function routePages(k: Kit, r: PageRequest): Promise<ConsoleResponse | null> {
  for (const route of ROUTES) {
    const answer = await route(k, r);
    if (answer) return answer;
  }
  return null;
}
