/** A unique-constraint violation, whatever the database: the domain turns it into EntityAlreadyExists. */
export class ConflictError extends Error {
  constructor(message) { super(message); this.name = 'ConflictError'; }
}
