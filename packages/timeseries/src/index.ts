export { createStore, Store } from './store';
export type { GetQuery } from './store';
export type { StoreOptions, MetricOptions, IntervalOptions, MetricType, ResolvedConfig, ResolvedMetric, ResolvedInterval } from './options';
export { DEFAULT_INTERVALS, METRIC_TYPES } from './options';
export type { Duration } from './duration';
export { parseDuration } from './duration';
export type { Sample } from './sample';
export type { Fence, WriteOptions, WriteResult } from './batchWriter';
export type { AggregateFence, AggregateWriteOptions, AggregateWriteResult } from './batchWriter';
export { BatchAggregate } from './batchAggregate';
export type { SeriesQuery, SeriesResult, RawPoints, TransformedPoints, Point } from './seriesReader';
export type { RangeQuery } from './range';
export type { TopQuery, TopEntry } from './topQuery';
export type { GroupTotalsQuery, GroupTotals } from './groupTotals';
export type { EntitiesQuery } from './entityIndex';
export type { PropertiesQuery, BucketSpan } from './properties';
export type { DeleteQuery } from './deleteSeries';
export type { BucketValue, BucketValues, HistogramValue } from './bucketValue';
export type { Transform } from './transforms';
export { TRANSFORMS } from './transforms';
export type { RedisClient } from './luaScript';
export { canonicalIp, ipKey, ipFromKey } from './canonicalIp';
export { bucketStart, cutoffTs } from './bucket';
export {
  StoreError,
  ConfigError,
  InvalidIpError,
  InvalidSampleError,
  InvalidQueryError,
  FenceConflictError,
  StoreBehindError,
  BackendError,
  StoredLayoutError,
  isProgramError,
} from './errors';
export { BucketReader, createBucketReader, MAX_MANY_CELLS } from './getMany';
export type { GetManyQuery, ManyBuckets } from './getMany';
export type { DeleteMetricQuery, DeleteMetricProgress, DeleteMetricResult } from './deleteMetric';
