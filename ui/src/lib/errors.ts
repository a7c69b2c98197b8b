// Every error code the nyx API answers with (app/server), plus the two the
// client produces itself: `network` (the server could not be reached) and
// `unknown` (an answer that is not our error shape).
export const errorCodes = [
  'auth_required',
  'user_required',
  'tenant_not_found',
  'tenant_required',
  'forbidden',
  'not_found',
  'member_not_found',
  'user_not_found',
  'last_owner',
  'already_member',
  'slug_taken',
  'domain_taken',
  'cannot_grant_owner',
  'unavailable',
  'invalid_slug',
  'reserved_slug',
  'invalid_field',
  'invalid_role',
  'invalid_email',
  'invalid_domain',
  'bad_json',
  'unknown_field',
  'body_too_large',
  'bad_body',
  'internal',
  'cancelled',
  // providers and personas (app/server/provider_*.go, persona_*.go)
  'api_key_required',
  'invalid_api_key',
  'invalid_base_url',
  'forbidden_url',
  'rate_limited',
  'nothing_to_regenerate',
  'budget_exceeded',
  'invalid_kind',
  'invalid_model',
  'not_supported',
  'name_taken',
  'provider_unavailable',
  'builtin_provider',
  'provider_in_use',
  'persona_not_found',
  'provider_not_found',
  'provider_auth',
  'provider_rate_limited',
  'context_too_long',
  'model_not_found',
  'provider_bad_response',
  'provider_invalid',
  // discussions (app/server/discussion_*.go)
  'discussion_not_found',
  'message_too_long',
  'turn_running',
  'busy',
  'network',
  'unknown',
] as const

export type ErrorCode = (typeof errorCodes)[number]

const messages: Record<ErrorCode, string> = {
  auth_required: 'Your session has ended. Please sign in again.',
  user_required: 'This page needs a user account. Superusers manage the server in the admin console.',
  tenant_not_found: 'This workspace does not exist, or you are not a member of it.',
  tenant_required: 'Choose a workspace first.',
  forbidden: 'Your role in this workspace does not allow that.',
  not_found: 'That could not be found.',
  member_not_found: 'That person is no longer a member of this workspace.',
  user_not_found: 'No account uses that email address yet. Ask them to sign up first, then invite them.',
  last_owner: 'A workspace needs at least one owner. Make someone else an owner first.',
  already_member: 'That person is already a member of this workspace.',
  slug_taken: 'Another workspace already uses that address. Try a different one.',
  domain_taken: 'Another workspace already uses that domain.',
  cannot_grant_owner: 'Only owners can make someone an owner.',
  unavailable: 'The server is temporarily unavailable. Try again in a moment.',
  invalid_slug: 'Use 3–40 lowercase letters, digits and hyphens, not starting or ending with a hyphen.',
  reserved_slug: 'That address is reserved. Pick another one.',
  invalid_field: 'Please check this field.',
  invalid_role: 'Choose one of owner, admin, member or viewer.',
  invalid_email: 'Enter an email address such as ada@example.com.',
  invalid_domain: 'Enter a host name such as chat.example.com.',
  bad_json: 'The app sent a request the server could not read. Reload the page and try again.',
  unknown_field: 'The app sent a field the server does not know. Reload the page to get the latest version.',
  body_too_large: 'That is more than the server accepts in one request.',
  bad_body: 'The request could not be read. Check your connection and try again.',
  internal: 'Something went wrong on the server. It has been logged; try again.',
  cancelled: 'The request was cancelled.',
  api_key_required: 'This provider needs an API key.',
  invalid_api_key: 'That doesn’t look like an API key. Paste the whole key.',
  invalid_base_url: 'Enter an http:// or https:// address, such as http://gpu-box:11434.',
  budget_exceeded: 'The token budget for today or this month is spent, so new turns are refused until it renews. The workspace overview shows what is left; the server operator sets the budgets.',
  nothing_to_regenerate: 'There is no message to answer again yet.',
  rate_limited: 'Too many requests in a short time. Wait a moment and try again.',
  forbidden_url: 'This server is not allowed to connect to that address (private, loopback and metadata addresses are blocked). Ask the operator to allow it.',
  invalid_kind: 'Choose Ollama, OpenAI, Anthropic or Google.',
  invalid_model: 'Enter a model name such as llama3.2:3b.',
  not_supported: 'Only Ollama hosts can pull and delete models.',
  name_taken: 'Something in this workspace already has that name. Pick another.',
  provider_unavailable: 'The model provider could not be reached. Check that it is running and try again.',
  builtin_provider: 'The built-in local Ollama is part of the server; only the server operator can change it.',
  provider_in_use: 'Personas still use this provider. Point them at another one first.',
  persona_not_found: 'That persona no longer exists in this workspace.',
  provider_not_found: 'That provider no longer exists in this workspace.',
  provider_auth: 'The model provider refused the API key. Check the key in the provider’s settings.',
  provider_rate_limited: 'The model provider is rate-limiting requests. Wait a moment and try again.',
  context_too_long: 'The conversation is too long for this model’s context window. Start a new one or pick a larger model.',
  model_not_found: 'The provider does not have that model. Pull it or choose another.',
  provider_bad_response: 'The model provider sent an answer that could not be understood. Try again.',
  provider_invalid: 'The model provider rejected the request. Check the persona’s model and options.',
  discussion_not_found: 'That discussion no longer exists in this workspace.',
  message_too_long: 'That message is too long. Messages are limited to 32 KiB.',
  turn_running: 'The personas are still answering. Wait for them or stop them first.',
  busy: 'The server is answering as many requests as it can. Try again in a moment.',
  network: 'Cannot reach the server. Check your connection; we will retry when you are back online.',
  unknown: 'Something unexpected happened. Try again.',
}

/** isErrorCode tells a known code from anything else a server may send. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(messages, code)
}

/**
 * messageFor returns the human message for a code. Codes this version of
 * the app does not know yet fall back to the server's own message.
 */
export function messageFor(code: string, serverMessage?: string): string {
  if (isErrorCode(code)) return messages[code]
  return serverMessage || messages.unknown
}
