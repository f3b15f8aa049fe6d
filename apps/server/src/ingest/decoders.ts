import { decoderFor, type Decoder } from '@ipscope/events';
import { decodeNetEventMessage } from '../backfill/netEventMessage';
import type { TopicSpec } from './topics';

/** The decoder of a consumed topic: an @ipscope/events format, or `netevent` (backfill messages). */
export function topicDecoder(spec: TopicSpec): Decoder {
  if (spec.format === 'netevent') return decodeNetEventMessage as Decoder;
  return decoderFor(spec.format);
}
