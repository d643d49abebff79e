import 'reflect-metadata';
import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { decoratorMetadata, type MetadataReader } from '../../lib/src/policy/metadata-reader.js';

class Plain {
  handler(this: void): void {}
}

@SetMetadata('level', 'class')
@SetMetadata('only-class', 1)
class Decorated {
  @SetMetadata('level', 'method')
  @SetMetadata('falsy', false)
  handler(this: void): void {}

  bare(this: void): void {}
}

describe('the guard’s metadata reader', () => {
  const nest = new Reflector();
  const cases: [string, object[]][] = [
    ['level', [Decorated.prototype.handler, Decorated]],
    ['level', [Decorated.prototype.bare, Decorated]],
    ['only-class', [Decorated.prototype.handler, Decorated]],
    ['falsy', [Decorated.prototype.handler, Decorated]],
    ['level', [Plain.prototype.handler, Plain]],
    ['missing', []],
  ];

  it.each(cases)('reads %s as Nest’s Reflector does', (key, targets) => {
    expect(decoratorMetadata.getAllAndOverride(key, targets)).toEqual(nest.getAllAndOverride(key, targets as never));
    for (const target of targets) expect(decoratorMetadata.get(key, target)).toEqual(nest.get(key, target as never));
  });

  it('finds what is set, the most specific first, and false as a value', () => {
    expect(decoratorMetadata.getAllAndOverride('level', [Decorated.prototype.handler, Decorated])).toBe('method');
    expect(decoratorMetadata.getAllAndOverride('level', [Decorated.prototype.bare, Decorated])).toBe('class');
    expect(decoratorMetadata.getAllAndOverride('falsy', [Decorated.prototype.handler, Decorated])).toBe(false);
    expect(decoratorMetadata.get('level', Plain)).toBeUndefined();
  });

  it('has the shape of Nest’s Reflector, so a guard subclass may pass one', () => {
    const reader: MetadataReader = new Reflector();
    expect(reader.getAllAndOverride('level', [Decorated.prototype.bare, Decorated])).toBe('class');
  });
});
