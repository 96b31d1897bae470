// The store's errors. Both are domain errors: the store knows nothing of the wire (src/aws maps codes to statuses).
import { ServiceError } from '../errors.js';

/** A unique-constraint violation, whatever the database: the domain turns it into EntityAlreadyExists. */
export class ConflictError extends Error {
  constructor(message: string) { super(message); this.name = 'ConflictError'; }
}

/**
 * A foreign-key violation, whatever the database: a write named a row that is gone, or a delete would leave rows
 * pointing at nothing. Handlers lock the parent row and re-check it first (see docs/concurrency.md), so this is the
 * last line of defence: an AWS answer (NoSuchEntity for a write, DeleteConflict for a delete) instead of a 500.
 * The database's own message (which names ids) stays out of the answer. A ServiceError: the endpoint gives it the
 * code's status (404, 409) like any other domain error.
 */
export class ForeignKeyError extends ServiceError {
  constructor(sql: string | undefined) {
    const isDelete = /^\s*DELETE\b/i.test(sql ?? '');
    super(isDelete ? 'DeleteConflict' : 'NoSuchEntity', isDelete
      ? 'The request was rejected because it attempted to delete a resource that has attached subordinate entities.'
      : 'The request was rejected because it referenced a resource entity that does not exist.');
    this.name = 'ForeignKeyError';
  }
}
