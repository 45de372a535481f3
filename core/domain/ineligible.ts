// Why a signed-in account may not place, as a code (in the session token and GET /api/me) and a
// sentence the page shows. No I/O: the page imports it too.
export const INELIGIBLE_REASONS = ['account_too_new', 'account_age_unknown', 'email_domain', 'email_unverified', 'not_in_guild', 'missing_role'] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

export const INELIGIBLE_MESSAGES: Readonly<Record<IneligibleReason, string>> = {
  account_too_new: 'Your account was created after this event\'s cut-off date, so it cannot place pixels. You can still watch.',
  account_age_unknown: 'Your sign-in provider did not say when your account was created, which this event requires. You can still watch.',
  email_domain: 'This event is open to accounts of certain email domains only, and yours is not one of them. You can still watch.',
  email_unverified: 'Your account has no verified email address, which this event requires. You can still watch.',
  not_in_guild: 'This event is open to members of its Discord server only. Join it, sign in again, and you can place pixels.',
  missing_role: 'This event is open to members with a certain role in its Discord server. You can still watch.',
};

/** An anonymous session on a board that needs sign-in to place (GET /api/me's ineligibleReason). */
export const SIGNIN_REQUIRED_MESSAGE = 'This board needs you to sign in before you place pixels. You can watch without signing in.';
