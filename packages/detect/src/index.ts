/**
 * @ipscope/detect — models of normal behaviour per (metric, IP), explained alerts,
 * and the offline scorer. Framework-free; the Redis parts take an ioredis client.
 */
export { DetectError, InvalidOptionError, InvalidBucketError, StateDecodeError, CsvFormatError, AlertNotFoundError, WebhookDeliveryError } from './errors';
export { SeriesModel, defaultSeriesModelOptions, resolveSeriesModelOptions, SERIES_MODEL_BYTES } from './seriesModel';
export type { SeriesModelOptions, SeriesScore } from './seriesModel';
export { SeriesState } from './seriesState';
export { DistributionModel, MAX_CATEGORIES } from './distributionModel';
export type { Histogram } from './distributionModel';
export { encodeState, decodeState, isOutdatedState } from './stateCodec';
export { combineViews, scoreFromProbability, probabilityFromScore } from './scoreCombiner';
export type { ViewName, ViewResult } from './scoreCombiner';
export { AlertTracker, defaultAlertOptions, resolveAlertOptions, severityOf } from './alertTracker';
export type { AlertOptions, AlertTransition, Severity } from './alertTracker';
export { alertId, explain } from './alert';
export type { Alert, AlertAction, AlertEvent } from './alert';
export { Detector, defaultDetectorOptions, seriesId, parseSeriesId, seriesHash } from './detector';
export type { ClosedBucket, DetectorOptions, DetectorScore, MetricDetection, StepResult } from './detector';
export { MemoryModelStateStore } from './modelStateStore';
export type { ModelStateStore, StoredState } from './modelStateStore';
export { CsvScorer, scoreCsvStream, formatScore } from './offline/scoreCsv';
export type { ScoreCsvOptions, ScoreNotes } from './offline/scoreCsv';
export { inferStep } from './offline/inferStep';
export { parseTimestamp } from './offline/timestamp';
export { scoreCommand, scoreUsage } from './cli/score';
export type { CommandIo } from './cli/score';
export type { TransformName } from './transform';
export { RedisModelStateStore, ModelStateStoreError, defaultRedisModelStateStoreOptions } from './redisModelStateStore';
export type { RedisModelStateStoreOptions } from './redisModelStateStore';
export { AlertStore, AlertStoreError, defaultAlertStoreOptions, statusOf } from './alertStore';
export type { AlertQuery, AlertStoreOptions, StoredAlertEvent } from './alertStore';
export { WebhookNotifier, defaultWebhookNotifierOptions } from './webhookNotifier';
export type { WebhookDelivery, WebhookNotifierOptions } from './webhookNotifier';
export { NAB_STANDARD, emptyTally, normalisedWindowScore, scaledSigmoid, tallyWindows } from './evaluation/windowScore';
export type { Window, WindowProfile, WindowTally } from './evaluation/windowScore';
export { PeerModel, defaultPeerModelOptions, resolvePeerModelOptions } from './peers/peerModel';
export type { PeerActivity, PeerCandidate, PeerEvidence, PeerModelOptions, PeerScore } from './peers/peerModel';
export { PEER_ALERT_P_PER_HOUR, PeerDetector, defaultPeerDetectorOptions, peerAlertDefaults } from './peers/peerDetector';
export type { PeerBucket, PeerDetectorOptions, PeerStepResult } from './peers/peerDetector';
export { KnownPeers } from './peers/knownPeers';
export { explainPeer } from './peers/explainPeer';
export { PeerPopulation } from './peers/peerPopulation';
export { commonPeers } from './peers/commonPeers';
export type { HostPeers } from './peers/commonPeers';
