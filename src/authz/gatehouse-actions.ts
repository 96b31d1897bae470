// Gatehouse's own actions (beyond AWS's services), authorised by the same authoriser and policies as IAM's: the
// account's console sign-in settings, and an administrator's view and revocation of another user's recovery
// codes, trusted devices and MFA lock. Policies name them `gatehouse:ACTION` (Action "*" grants them; "iam:*"
// does not). Account-wide actions act on no resource ('*'); the others on the user's ARN, so a policy can scope
// them by path or with ${aws:username}. docs/sign-in.md lists them.
export const GATEHOUSE_ACTIONS = {
  GetAccountMfaSettings: 'account',
  UpdateAccountMfaSettings: 'account',
  ListRecoveryCodes: 'user',
  DeleteRecoveryCodes: 'user',
  ListTrustedDevices: 'user',
  DeleteTrustedDevices: 'user',
  DeleteMfaLock: 'user',
} as const satisfies Record<string, 'account' | 'user'>;

export type GatehouseAction = keyof typeof GATEHOUSE_ACTIONS;

/** The input a Gatehouse action is authorised with: the user it acts on (absent: the caller itself). */
export interface GatehouseInput { readonly UserName?: string | undefined }

export const isGatehouseAction = (a: string): a is GatehouseAction => Object.hasOwn(GATEHOUSE_ACTIONS, a);
