import { parseFactor, type MfaFactor } from '../contracts/mfa-factor.js';

/** Events whose user(s) may have changed what the guard caches: their bindings are dropped. */
const USER_EVENTS = new Set([
  'user:updated',
  'user:deleted',
  'kick',
  'user:blocked',
  'user:unblocked',
  'user:archived',
  'user:unarchived',
  'user:password-changed',
]);

/** What a webhook asks of the receiver. */
export type WebhookEvent =
  | { readonly kind: 'users'; readonly eventName: string; readonly userIds: readonly string[] }
  | {
      readonly kind: 'verified';
      readonly userId: string;
      readonly factor: MfaFactor | undefined;
      readonly valid: boolean;
    }
  | { readonly kind: 'application'; readonly eventName: string; readonly type: string; readonly applicationId: string }
  | { readonly kind: 'ignored'; readonly eventName: string | undefined }
  | { readonly kind: 'malformed'; readonly reason: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A user id as GenAuth's payloads give it: a string, or a user object with `id` (v2) or `userId` (v3). */
function idOf(value: unknown): string | undefined {
  const id = typeof value === 'string' ? value : isObject(value) ? (value['id'] ?? value['userId']) : undefined;
  return typeof id === 'string' && id !== '' && id.length <= 256 ? id : undefined;
}

/** The `data` of a body: an object, or (form-encoded bodies) its JSON text. */
function dataOf(body: Json): Json | undefined {
  const data = body['data'];
  if (isObject(data)) return data;
  if (typeof data !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a webhook body: `{ eventName, data }` (JSON, or form-encoded with `data` as nested fields or JSON
 * text). A body that is not an object, or whose `eventName` is not text, is malformed; an object without
 * `eventName` (GenAuth's `login` sample sends the bare user) and unknown events are ignored.
 */
export function readWebhookEvent(body: unknown): WebhookEvent {
  if (!isObject(body)) return { kind: 'malformed', reason: 'the body is not an object' };
  const eventName = body['eventName'];
  if (eventName === undefined) return { kind: 'ignored', eventName: undefined };
  if (typeof eventName !== 'string' || eventName === '' || eventName.length > 100) {
    return { kind: 'malformed', reason: 'eventName is not an event name' };
  }
  const known = USER_EVENTS.has(eventName) || eventName === 'mfa:verified' || eventName.startsWith('application:mfa:');
  if (!known) return { kind: 'ignored', eventName };
  const data = dataOf(body);
  if (!data) return { kind: 'malformed', reason: `${eventName} has no data object` };
  if (eventName === 'mfa:verified') {
    const userId = idOf(data['userId']);
    if (!userId) return { kind: 'malformed', reason: 'mfa:verified has no userId' };
    const type = typeof data['type'] === 'string' ? data['type'] : undefined;
    return { kind: 'verified', userId, factor: parseFactor(type), valid: data['isValid'] === true };
  }
  if (eventName.startsWith('application:mfa:')) {
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 100) : '');
    return { kind: 'application', eventName, type: text(data['type']), applicationId: text(data['applicationId']) };
  }
  const listed = Array.isArray(data['users']) ? (data['users'] as unknown[]) : [data['user'] ?? data['userId']];
  const userIds = listed.slice(0, 1000).map(idOf);
  if (userIds.length === 0 || userIds.some((id) => id === undefined)) {
    return { kind: 'malformed', reason: `${eventName} names no user` };
  }
  return { kind: 'users', eventName, userIds: userIds as string[] };
}
