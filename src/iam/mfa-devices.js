// MFA devices (virtual authenticator apps and hardware TOTP tokens): see issue 3. Handlers keyed by operation.
export const handlers = {};
