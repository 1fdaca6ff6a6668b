/**
 * Registration that does not tell whether an email is registered (OWASP Authentication cheat
 * sheet, "account enumeration"): a free email and a taken one get the same 202 answer, after the
 * same password hashing; the owner of a taken email simply logs in. A taken username is said
 * plainly: usernames are public (every streamer page shows one).
 */
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { AccountsStore, RegisterInput } from './accounts.store.js';

/** The one answer to every accepted registration request. */
export const REGISTRATION_ACCEPTED = {
  status: 'accepted',
  message:
    'Thanks! Log in with this email and password to continue. If the email was registered before, log in with its password (or reset it).',
} as const;

/**
 * Registers the account, or quietly does nothing when the email is taken.
 * @returns the new user's id, or null when the email was taken (the caller's answer must not differ).
 * @throws {ConflictError} 409 naming `username` when a streamer's username is taken (also when
 *   the email is taken as well, so the answer never depends on the email).
 */
export async function registerQuietly(accounts: AccountsStore, input: RegisterInput): Promise<string | null> {
  try {
    return (await accounts.register(input)).user.id;
  } catch (err) {
    const fields = err instanceof ConflictError ? (err.details?.fields as Record<string, string>) : undefined;
    if (!fields?.email) throw err;
    if (input.role === 'streamer' && input.username) {
      const taken = await accounts.streamerByUsername(input.username).then(
        () => true,
        (e: unknown) => {
          if (e instanceof NotFoundError) return false;
          throw e;
        },
      );
      if (taken)
        throw new ConflictError(`That username is already registered`, {
          fields: { username: 'already taken' },
        });
    }
    return null;
  }
}
