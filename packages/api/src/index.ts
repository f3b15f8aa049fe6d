export { topQuery, topResponse, seriesQuery, seriesResponse, errorResponse } from './schemas';
export type { TopQuery, TopResponse, SeriesQuery, SeriesResponse, ErrorResponse } from './schemas';
