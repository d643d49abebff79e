/** Injection token of the validated {@link SampleConfig}. */
export const SAMPLE_CONFIG = Symbol('SAMPLE_CONFIG');
/** Injection token of where GenAuth answers ({@link SampleHosts}). */
export const SAMPLE_HOSTS = Symbol('SAMPLE_HOSTS');
/** Injection token of the embedded emulator (`null` on the real GenAuth). */
export const SAMPLE_EMULATOR = Symbol('SAMPLE_EMULATOR');
