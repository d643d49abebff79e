import 'reflect-metadata';
import { Controller, Get, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { MfaEnforceFrom, MfaReportOnly } from 'nestjs-genauth-mfa';
import type { MfaGuardSettings } from '../../lib/src/contracts/settings.js';
import { compileStaticPolicy } from '../../lib/src/policy/policy-compiler.js';
import { declaredRoute } from '../../lib/src/policy/route-declarations.js';

const PAST = '2020-01-01T00:00:00Z';
const FUTURE = '2999-01-01T00:00:00Z';
const MODULE_DATE = Date.parse('2998-06-01T00:00:00Z');

type Declaration = ClassDecorator & MethodDecorator;
type Expected = 'enforced' | 'report-only' | { graceUntil: string | number };

/** The README's table, "Which level decides", row by row: method, controller, module, what the route is. */
const TABLE: Array<[string, Declaration[], Declaration[], Partial<MfaGuardSettings>, Expected]> = [
  ['nothing anywhere', [], [], {}, 'enforced'],
  ['module report-only', [], [], { reportOnly: true }, 'report-only'],
  ['module grace', [], [], { enforceFrom: MODULE_DATE }, { graceUntil: MODULE_DATE }],
  ['method date (past) over module report-only', [MfaEnforceFrom(PAST)], [], { reportOnly: true }, 'enforced'],
  [
    'method date (future) over controller report-only',
    [MfaEnforceFrom(FUTURE)],
    [MfaReportOnly()],
    {},
    { graceUntil: FUTURE },
  ],
  [
    'method enforce over controller report-only',
    [MfaReportOnly(false)],
    [MfaReportOnly()],
    { reportOnly: true },
    'enforced',
  ],
  ['method enforce over module grace', [MfaReportOnly(false)], [], { enforceFrom: MODULE_DATE }, 'enforced'],
  ['method report-only over controller date', [MfaReportOnly()], [MfaEnforceFrom(PAST)], {}, 'report-only'],
  [
    'controller date over module report-only',
    [],
    [MfaEnforceFrom(FUTURE)],
    { reportOnly: true },
    { graceUntil: FUTURE },
  ],
  ['report-only and a date on one level', [MfaReportOnly(), MfaEnforceFrom(FUTURE)], [], {}, 'report-only'],
  [
    'enforce and a future date on one level',
    [MfaReportOnly(false), MfaEnforceFrom(FUTURE)],
    [],
    {},
    { graceUntil: FUTURE },
  ],
];

const SETTINGS: MfaGuardSettings = {
  userIdType: 'user_id',
  defaultPolicy: { kind: 'static', required: compileStaticPolicy('TOTP') },
  resolveUser: undefined,
  failOpen: false,
  enrollmentUrl: undefined,
  redirectToEnrollment: true,
  reportOnly: false,
  enforceFrom: undefined,
  enforceFromHeader: undefined,
  stepUpUrl: undefined,
  errorBody: undefined,
  unavailableRetryAfterSeconds: 5,
};

function controllerWith(method: Declaration[], controller: Declaration[]): Type {
  @Controller('x')
  class Declared {
    @Get() handle() {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(Declared.prototype, 'handle')!;
  for (const declare of method) declare(Declared.prototype, 'handle', descriptor);
  for (const declare of controller) declare(Declared);
  return Declared;
}

describe('report-only and grace periods, most specific level first', () => {
  it.each(TABLE)('%s', (_row, method, controller, module, expected) => {
    const type = controllerWith(method, controller);
    const site = {
      reflector: new Reflector(),
      controller: type,

      handler: (type.prototype as { handle: () => void }).handle,
      guardType: undefined,
      guardPolicy: undefined,
    };
    const route = declaredRoute(site, { ...SETTINGS, ...module });
    const actual: Expected = route.reportOnly
      ? 'report-only'
      : route.enforceFrom === undefined || route.enforceFrom <= Date.now()
        ? 'enforced'
        : { graceUntil: route.enforceFrom };
    const wanted = typeof expected === 'object' ? { graceUntil: new Date(expected.graceUntil).getTime() } : expected;
    expect(actual).toEqual(wanted);
  });
});
