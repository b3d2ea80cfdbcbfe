// Live protocol v1: every frame of the board WebSocket, mirrored from boards/protocol.py and
// boards/wire.py (tests/test_protocol_types.py keeps them in step). docs/protocol.md explains
// each message with an example.

export const PROTOCOL_VERSION = 1;

// WebSocket close codes (4000-4999 are the application's own).
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_RESYNC = 4408;
export const CLOSE_REMOVED = 4410;

// Limits of one connection; past them the server answers with an `error` frame.
export const MAX_FRAME_BYTES = 64 * 1024;
export const OPS_PER_SECOND = 30;
export const OPS_BURST = 60;
export const MAX_UNACKED_OPS = 500;
export const ACK_EVERY_OPS = 100;

// Arguments and results are plain JSON objects whose shape depends on the op.
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export type ErrorCode =
  | "invalid"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "too_large"
  | "bad_message";

// --- board objects (boards/wire.py) ---------------------------------------------------------

export interface BoardData {
  id: string;
  title: string;
  goal: string;
  map_type: string;
  language: string;
  owner_id: string;
  source_board_id: string | null;
  archived: boolean;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface StageData {
  id: string;
  title: string;
  description: string;
  position: string;
  version: number;
  deleted: boolean;
}

export interface LaneData {
  id: string;
  kind: string;
  title: string;
  position: string;
  version: number;
  deleted: boolean;
}

export interface CardData {
  id: string;
  stage_id: string;
  lane_id: string;
  text: string;
  color: string;
  position: string;
  version: number;
  deleted: boolean;
  author_id: string | null;
  author_name: string;
  emotion_score: number | null;
  channel: string;
  brand_controlled: boolean | null;
  touchpoint_state: string;
  moment_of_truth: boolean;
}

export interface PersonaData {
  id: string;
  name: string;
  role: string;
  demographics: string;
  goals: string;
  needs: string;
  frustrations: string;
  behaviours: string;
  quote: string;
  avatar_url: string;
  position: string;
  version: number;
  deleted: boolean;
}

/** A KPI sample (journeydata/wire.py): the result of metric.record/delete/restore. */
export interface MetricSampleData {
  id: string;
  stage_id: string | null;
  card_id: string | null;
  kind: string;
  name: string;
  unit: string;
  scale: number | null;
  value: number | null;
  counts: Record<string, number>;
  date: string;
  source: string;
  version: number;
  deleted: boolean;
}

export interface SnapshotData {
  seq: number;
  board: BoardData;
  stages: StageData[];
  lanes: LaneData[];
  cards: CardData[];
  personas: PersonaData[];
}

/** `result.changes` of an op that changes several objects at once (`version.restore`). */
export interface BatchChanges {
  board: BoardData;
  stages: StageData[];
  lanes: LaneData[];
  cards: CardData[];
  personas: PersonaData[];
}

// --- shared pieces --------------------------------------------------------------------------

export interface Cursor {
  x: number;
  y: number;
}

export interface ParticipantData {
  id: string; // "u:<user id>" or "g:<guest uuid>"
  name: string;
  color: string;
  role: string;
}

export interface ActorData {
  id: string | null;
  name: string;
}

// --- client -> server -----------------------------------------------------------------------

export interface SyncRequest {
  type: "sync";
  since: number | null;
}

export interface OpRequest {
  type: "op";
  id: string;
  op: string;
  args: JsonObject;
}

/** The top-left corner of what a participant sees, in board units (pixels at zoom 1). */
export interface Viewport {
  x: number;
  y: number;
}

export interface PresenceUpdate {
  type: "presence";
  cursor: Cursor | null;
  editing: string | null;
  viewport?: Viewport | null;
  summon?: Viewport;
}

export interface PingRequest {
  type: "ping";
  seq: number;
}

export type ClientMessage = SyncRequest | OpRequest | PresenceUpdate | PingRequest;

// --- server -> client -----------------------------------------------------------------------

export interface WelcomeMessage {
  type: "welcome";
  protocol: number;
  board_id: string;
  seq: number;
  you: ParticipantData;
  participants: ParticipantData[];
}

export interface SnapshotMessage {
  type: "snapshot";
  seq: number;
  board: BoardData;
  stages: StageData[];
  lanes: LaneData[];
  cards: CardData[];
  personas: PersonaData[];
}

export interface OpMessage {
  type: "op";
  seq: number;
  id: string;
  actor: ActorData;
  op: string;
  args: JsonObject;
  result: JsonObject;
}

export interface SyncedMessage {
  type: "synced";
  seq: number;
}

export interface PresenceEntry {
  id: string;
  cursor: Cursor | null;
  editing: string | null;
  viewport?: Viewport | null;
  summon?: Viewport;
}

export interface PresenceMessage {
  type: "presence";
  participants: PresenceEntry[];
}

export interface JoinMessage {
  type: "join";
  participant: ParticipantData;
}

export interface LeaveMessage {
  type: "leave";
  participant_id: string;
}

export interface ErrorMessage {
  type: "error";
  id: string | null;
  code: ErrorCode;
  message: string;
  details?: Record<string, string[]>;
  current?: JsonObject;
}

export interface PongMessage {
  type: "pong";
  seq: number;
}

export type ServerMessage =
  | WelcomeMessage
  | SnapshotMessage
  | OpMessage
  | SyncedMessage
  | PresenceMessage
  | JoinMessage
  | LeaveMessage
  | ErrorMessage
  | PongMessage;

// --- workshops (workshops/wire.py) ----------------------------------------------------------
// Results of the workshop ops, and GET /api/boards/<id>/workshop/. An `op` frame named
// `hidden` (HIDDEN_OP_NAME) carries only a seq: a change another participant made privately.

export const HIDDEN_OP_NAME = "hidden";

export interface AgendaStepData {
  title: string;
  minutes: number | null;
  instructions: string;
}

export interface TimerData {
  state: "idle" | "running" | "paused";
  duration_ms: number;
  ends_at: string | null;
  remaining_ms: number;
}

export interface LocksData {
  structure: boolean;
  card_lanes: string[] | null;
  read_only: boolean;
}

export interface VoteTallyData {
  card_id: string;
  votes: number;
}

export interface VoteSessionData {
  id: string;
  lane_ids: string[] | null;
  votes_per_participant: number;
  hide_results: boolean;
  open: boolean;
  results: VoteTallyData[] | null;
}

export interface WorkshopData {
  agenda: AgendaStepData[];
  step: number;
  timer: TimerData;
  locks: LocksData;
  vote: VoteSessionData | null;
  private_writing: boolean;
}

export interface VoteData {
  session_id: string;
  card_id: string;
  voter_id: string;
  mine: number;
  remaining: number;
  total: number | null;
}

export interface RevealData {
  workshop: WorkshopData;
  cards: CardData[];
}

export interface InsightData {
  id: string;
  kind: "takeaway" | "action";
  text: string;
  owner: string;
  due_date: string | null;
  status: "todo" | "in_progress" | "done";
  card_ids: string[];
  position: string;
  version: number;
  deleted: boolean;
}

export interface WorkshopStateData {
  seq: number;
  now: string;
  workshop: WorkshopData;
  my_votes: Record<string, number>;
  insights: InsightData[];
}

export interface SummarySentData {
  sent: number;
}
