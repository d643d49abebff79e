import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

// Run before NestFactory.create(): the library registers its instruments on the global provider at start-up.
// Prometheus then scrapes http://<METRICS_HOST>:<METRICS_PORT>/metrics.
export const metricsExporter = new PrometheusExporter({
  host: process.env.METRICS_HOST ?? '127.0.0.1',
  port: Number(process.env.METRICS_PORT ?? 9464),
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [metricsExporter] }));
