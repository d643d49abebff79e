import { error, ok, type Answer, type RouteContext } from './emulator-route-context.js';
import type { EmulatedUser } from './emulator-state.js';

const MAX_LIMIT = 50;

function invalid(name: string, english: boolean, detail: string): Answer {
  return error(400, 400, english ? `Invalid parameter ${name}: ${detail}` : `参数 ${name} 格式错误: ${detail}`);
}

/** A user as list-users gives it: the documented `UserDto` fields the emulator can fill. */
function userDto(user: EmulatedUser): Record<string, unknown> {
  const { profile } = user;
  const created = new Date(user.createdAt).toISOString();
  return {
    userId: profile.userId,
    createdAt: created,
    updatedAt: created,
    status: 'Activated',
    workStatus: 'Active',
    username: profile.username ?? null,
    email: profile.email ?? null,
    phone: profile.phone ?? null,
    emailVerified: false,
    phoneVerified: false,
    gender: 'U',
    userSourceType: 'adminCreated',
    lastMfaTime: user.lastMfaTime === undefined ? null : new Date(user.lastMfaTime).toISOString(),
  };
}

/**
 * `POST /api/v3/list-users`: `options.pagination` (page from 1, limit 1-50, default 10) over the pool sorted by
 * `createdAt` (ascending unless `options.sort` asks `desc`, under `order` or the `direction` of one example).
 */
export function listUsers(context: RouteContext): Answer {
  const options = (context.params['options'] ?? {}) as Record<string, unknown>;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return invalid('options', context.english, 'must be an object');
  }
  const pagination = (options['pagination'] ?? {}) as Record<string, unknown>;
  const page = pagination['page'] ?? 1;
  const limit = pagination['limit'] ?? 10;
  if (!Number.isInteger(page) || (page as number) < 1) return invalid('page', context.english, 'must be 1 or more');
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LIMIT) {
    return invalid('limit', context.english, `must be 1 to ${MAX_LIMIT}`);
  }
  const sort = Array.isArray(options['sort']) ? (options['sort'][0] as Record<string, unknown> | undefined) : undefined;
  const descending = (sort?.['order'] ?? sort?.['direction']) === 'desc';
  const users = [...context.state.all()];
  if (descending) users.reverse();
  const from = ((page as number) - 1) * (limit as number);
  return ok({ totalCount: users.length, list: users.slice(from, from + (limit as number)).map(userDto) });
}
