/** What a user did wrong, said so that they can fix it: both commands exit 2 on it, with the message alone. */
export class UsageError extends Error {}
