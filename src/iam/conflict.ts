// The one place a store conflict (a unique name taken, whatever the database) becomes IAM's EntityAlreadyExists.
import { ConflictError } from '../store/errors.js';
import { entityAlreadyExists } from '../errors.js';

/** Runs a write; a unique-constraint conflict in it becomes EntityAlreadyExists with AWS's message for the entity. */
export async function unlessTaken<T>(alreadyExistsMessage: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof ConflictError) throw entityAlreadyExists(alreadyExistsMessage);
    throw e;
  }
}
