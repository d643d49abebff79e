/**
 * What the guard reads a route's decorators with. Nest's `Reflector` has this shape, so a guard subclass
 * may pass one; the library's own reader spares `@nestjs/core` at import time.
 */
export interface MetadataReader {
  /** The value stored under `key` on `target`, or undefined. */
  get<T = unknown>(key: string, target: object): T;
  /** The first value stored under `key` on `targets`, in order, or undefined. */
  getAllAndOverride<T = unknown>(key: string, targets: object[]): T;
}

/** Reads decorator metadata the way Nest's `Reflector` does (`Reflect.getMetadata`). */
export const decoratorMetadata: MetadataReader = {
  get: <T>(key: string, target: object) => Reflect.getMetadata(key, target) as T,
  getAllAndOverride<T>(key: string, targets: object[]): T {
    for (const target of targets) {
      const value: unknown = Reflect.getMetadata(key, target);
      if (value !== undefined) return value as T;
    }
    return undefined as T;
  },
};
