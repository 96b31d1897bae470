// STS operations. GetCallerIdentity needs no permission: it only reports who signed the request.
export const stsHandlers = {
  async GetCallerIdentity(ctx) {
    const p = ctx.principal;
    return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
  },
};
