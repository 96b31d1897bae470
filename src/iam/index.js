// IAM operations, keyed by AWS operation name. Each handler takes (ctx, input) and returns the output shape.
import { handlers as users } from './users.js';
import { handlers as groups } from './groups.js';
import { handlers as loginProfiles } from './login-profiles.js';
import { handlers as accessKeys } from './access-keys.js';
import { handlers as account } from './account.js';
import { handlers as mfaDevices } from './mfa-devices.js';
import { handlers as policies } from './policies.js';
import { handlers as roles } from './roles.js';
import { handlers as simulation } from './simulation.js';
import { handlers as credentialReport } from './credential-report.js';
import { handlers as authorizationDetails } from './authorization-details.js';

export const iamHandlers = { ...users, ...groups, ...loginProfiles, ...accessKeys, ...account, ...mfaDevices, ...policies, ...roles, ...simulation, ...credentialReport, ...authorizationDetails };
