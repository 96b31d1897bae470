// All SQL for MFA devices and the hardware-token inventory.
export class MfaStore {
  constructor(db) { this.db = db; }
}
