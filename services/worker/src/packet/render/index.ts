export { renderAgencyPacket } from './agency';
export { renderAggregatePacket } from './aggregate';
export { formatCounts, formatFigure, meetingTitle, type AgencyPacketInput, type PacketContext, type PacketMeeting } from './types';
