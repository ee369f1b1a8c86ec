// The schema, versioned: migration N (1-based) brings the database from version N-1 to N. Never edit a
// migration that has shipped; append a new one. The SQL is the same for both engines except for
// auto-increment keys.

#include <string>
#include <vector>

#include "connections.hpp"

namespace central {
namespace {

constexpr const char* kV1 = R"sql(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE stores (
  store_id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL);
CREATE TABLE store_keys (
  store_id TEXT NOT NULL REFERENCES stores(store_id),
  public_key TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (store_id, public_key));
CREATE TABLE kiosks (
  kiosk_id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(store_id),
  credential_hash TEXT UNIQUE,
  enrolled_at BIGINT,
  revoked_at BIGINT,
  last_seen BIGINT,
  version TEXT,
  uptime_s BIGINT,
  outbox_depth BIGINT,
  health TEXT);
CREATE TABLE enrollment_codes (
  code_hash TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores(store_id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT);
CREATE TABLE kiosk_commands (
  command_id @ID@,
  kiosk_id TEXT NOT NULL,
  command TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE INDEX kiosk_commands_kiosk ON kiosk_commands(kiosk_id);
CREATE TABLE members (
  member_id @ID@,
  phone TEXT NOT NULL UNIQUE,
  balance BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
  created_at BIGINT NOT NULL,
  consent_join INTEGER NOT NULL,
  consent_marketing INTEGER NOT NULL,
  consent_text_version TEXT NOT NULL,
  consent_at BIGINT NOT NULL,
  consent_kiosk TEXT NOT NULL);
CREATE TABLE claims (
  receipt_id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  store_id TEXT NOT NULL,
  receipt_number TEXT NOT NULL,
  amount_dong BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  kiosk_id TEXT NOT NULL,
  kiosk_store TEXT NOT NULL,
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  points BIGINT NOT NULL,
  claimed_at BIGINT NOT NULL,
  kiosk_time BIGINT NOT NULL,
  result TEXT NOT NULL);
CREATE TABLE ledger (
  entry_id @ID@,
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  kind TEXT NOT NULL,
  points BIGINT NOT NULL,
  at BIGINT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  reference TEXT NOT NULL,
  store_id TEXT NOT NULL DEFAULT '',
  kiosk_id TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '');
CREATE INDEX ledger_member ON ledger(member_id, at);
CREATE INDEX ledger_at ON ledger(at);
CREATE TABLE rewards (
  reward_id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  cost_points BIGINT NOT NULL,
  stock BIGINT CHECK (stock IS NULL OR stock >= 0),
  per_member_limit BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE vouchers (
  code TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  reward_id TEXT NOT NULL REFERENCES rewards(reward_id),
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  kiosk_id TEXT NOT NULL,
  value_dong BIGINT NOT NULL,
  points_spent BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  result TEXT NOT NULL,
  consumed_at BIGINT,
  consumed_store TEXT,
  consumed_reference TEXT);
CREATE INDEX vouchers_member ON vouchers(member_id, reward_id);
CREATE TABLE otp_codes (
  phone TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  tries_left BIGINT NOT NULL,
  kiosk_id TEXT NOT NULL);
CREATE TABLE otp_events (
  event_id @ID@,
  phone TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL);
CREATE INDEX otp_events_phone ON otp_events(phone, at);
CREATE INDEX otp_events_kiosk ON otp_events(kiosk_id, at);
)sql";

// Version 2: the hash of the credential an enrollment code was traded for, so a kiosk that lost the
// answer can ask again with the credential it proposed (docs/api.md, enroll).
constexpr const char* kV2 = R"sql(
ALTER TABLE enrollment_codes ADD COLUMN credential_hash TEXT;
)sql";

// Version 3: a one-time code belongs to (phone, kiosk) and, when the kiosk names it, to one reward;
// its hash is keyed with the server's OTP key (codes outstanding at the upgrade are dropped: they live
// 5 minutes). Failures remember the reward they were bound to, and old events are pruned by time.
constexpr const char* kV3 = R"sql(
DROP TABLE otp_codes;
CREATE TABLE otp_codes (
  phone TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  reward_id TEXT NOT NULL DEFAULT '',
  code_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  tries_left BIGINT NOT NULL,
  PRIMARY KEY (phone, kiosk_id));
ALTER TABLE otp_events ADD COLUMN reward_id TEXT NOT NULL DEFAULT '';
CREATE INDEX otp_events_at ON otp_events(at);
)sql";

// Version 4: promo games (docs/games.md). A game's stores and prizes; tickets (earned from a receipt,
// granted by head office); the budget each prize has used per scope ("total", "day:N", "store:ID");
// the audit of every draw. Vouchers lose their reference to the rewards table: a game's physical gift
// voucher is consumed like any voucher but is no catalogue reward (the table is rebuilt as it was,
// without that foreign key, since SQLite cannot drop one).
constexpr const char* kV4 = R"sql(
CREATE TABLE games (
  game_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  registration_number TEXT NOT NULL,
  prize_structure_vi TEXT NOT NULL,
  prize_structure_en TEXT NOT NULL,
  ticket_min_receipt_dong BIGINT NOT NULL,
  daily_play_limit BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE game_stores (
  game_id TEXT NOT NULL REFERENCES games(game_id),
  store_id TEXT NOT NULL REFERENCES stores(store_id),
  PRIMARY KEY (game_id, store_id));
CREATE TABLE game_prizes (
  game_id TEXT NOT NULL REFERENCES games(game_id),
  prize_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  name_vi TEXT NOT NULL,
  name_en TEXT NOT NULL,
  points BIGINT NOT NULL,
  reward_id TEXT NOT NULL,
  value_dong BIGINT NOT NULL,
  validity_days BIGINT NOT NULL,
  odds_ppm BIGINT NOT NULL,
  budget_per_day BIGINT,
  budget_per_store BIGINT,
  budget_total BIGINT,
  PRIMARY KEY (game_id, prize_id));
CREATE TABLE game_budget (
  game_id TEXT NOT NULL,
  prize_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  used BIGINT NOT NULL CHECK (used >= 0),
  PRIMARY KEY (game_id, prize_id, scope));
CREATE TABLE game_tickets (
  ticket_id @ID@,
  game_id TEXT NOT NULL REFERENCES games(game_id),
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  source_key TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  used_at BIGINT);
CREATE INDEX game_tickets_member ON game_tickets(member_id, game_id, used_at);
CREATE TABLE game_draws (
  draw_id @ID@,
  idempotency_key TEXT NOT NULL UNIQUE,
  game_id TEXT NOT NULL REFERENCES games(game_id),
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  kiosk_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  ticket_id BIGINT NOT NULL UNIQUE,
  random_value BIGINT NOT NULL,
  drawn_prize_id TEXT NOT NULL,
  prize_id TEXT NOT NULL,
  prize_kind TEXT NOT NULL,
  prize_name_vi TEXT NOT NULL,
  prize_name_en TEXT NOT NULL,
  points BIGINT NOT NULL,
  value_dong BIGINT NOT NULL,
  voucher_code TEXT,
  voucher_payload TEXT,
  voucher_expires_at BIGINT,
  balance BIGINT NOT NULL,
  drawn_at BIGINT NOT NULL,
  day BIGINT NOT NULL,
  displayed_at BIGINT);
CREATE INDEX game_draws_member ON game_draws(member_id, drawn_at);
CREATE INDEX game_draws_game ON game_draws(game_id, drawn_at);
CREATE TABLE vouchers_v4 (
  code TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  reward_id TEXT NOT NULL,
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  kiosk_id TEXT NOT NULL,
  value_dong BIGINT NOT NULL,
  points_spent BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  result TEXT NOT NULL,
  consumed_at BIGINT,
  consumed_store TEXT,
  consumed_reference TEXT);
INSERT INTO vouchers_v4 SELECT code, idempotency_key, reward_id, member_id, kiosk_id, value_dong,
  points_spent, issued_at, expires_at, result, consumed_at, consumed_store, consumed_reference FROM vouchers;
DROP TABLE vouchers;
ALTER TABLE vouchers_v4 RENAME TO vouchers;
CREATE INDEX vouchers_member ON vouchers(member_id, reward_id);
)sql";

// Version 5 — fleet releases and rollouts (issue 13; docs/fleet.md). Bundles are kept in the database
// in fixed chunks (base64 text, so both engines store them alike), so no central instance needs a
// disk of its own. A rollout's kiosks are fixed at creation, each in one wave; every step of a
// rollout is a row of rollout_audit.
constexpr const char* kV5Fleet = R"sql(
CREATE TABLE release_chunks (
  sha256 TEXT NOT NULL,
  chunk BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (sha256, chunk));
CREATE TABLE releases (
  release_id @ID@,
  package TEXT NOT NULL,
  version TEXT NOT NULL,
  channel TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  manifest TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  UNIQUE (package, version, channel));
CREATE TABLE rollouts (
  rollout_id @ID@,
  release_id BIGINT NOT NULL REFERENCES releases(release_id),
  state TEXT NOT NULL,
  wave BIGINT NOT NULL,
  wave_started_at BIGINT NOT NULL,
  success_percent BIGINT NOT NULL,
  error_percent BIGINT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE rollout_waves (
  rollout_id BIGINT NOT NULL REFERENCES rollouts(rollout_id),
  wave BIGINT NOT NULL,
  soak_s BIGINT NOT NULL,
  PRIMARY KEY (rollout_id, wave));
CREATE TABLE rollout_kiosks (
  rollout_id BIGINT NOT NULL REFERENCES rollouts(rollout_id),
  kiosk_id TEXT NOT NULL,
  wave BIGINT NOT NULL,
  state TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (rollout_id, kiosk_id));
CREATE INDEX rollout_kiosks_kiosk ON rollout_kiosks(kiosk_id);
CREATE TABLE rollout_audit (
  audit_id @ID@,
  rollout_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '');
CREATE INDEX rollout_audit_rollout ON rollout_audit(rollout_id, audit_id);
)sql";

// Version 6 — notifications (issue 18; docs/notifications.md). The outbox of messages to members,
// written in the transaction of the ledger change that caused them; its idempotency key is chain-wide
// unique (a retried claim or a second central adds no copy). The provider's delivery receipts, once
// per (message, status).
constexpr const char* kV6Notify = R"sql(
CREATE TABLE notif_outbox (
  message_id @ID@,
  idempotency_key TEXT NOT NULL UNIQUE,
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  phone TEXT NOT NULL,
  event TEXT NOT NULL,
  marketing INTEGER NOT NULL,
  params TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at BIGINT,
  receipt_status TEXT NOT NULL DEFAULT '');
CREATE INDEX notif_outbox_due ON notif_outbox(state, next_attempt_at);
CREATE INDEX notif_outbox_member ON notif_outbox(member_id, marketing, sent_at);
CREATE TABLE notif_receipts (
  idempotency_key TEXT NOT NULL,
  status TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (idempotency_key, status));
)sql";

// Version 7 — the head-office console (issue 14; docs/console.md): people with roles instead of the
// shared admin token. Passwords are Argon2id strings (crypto_pwhash_str); a session is stored as the
// SHA-256 of its cookie token, with its CSRF token; console_audit holds every console write: who,
// when, from where, before and after (JSON text).
constexpr const char* kV7Console = R"sql(
CREATE TABLE console_users (
  user_id @ID@,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  stores TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT);
CREATE TABLE console_sessions (
  session_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES console_users(user_id),
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL);
CREATE TABLE console_audit (
  audit_id @ID@,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  address TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT '');
)sql";

// Version 8 — who last changed a member's marketing consent (issue 18, opt-out): '' = as given at
// join (consent_kiosk, consent_at), else "kiosk:<id>", "console:<user>", "reply" (STOP) or "link" (the
// opt-out link); consent_at is the time of that change.
constexpr const char* kV8ConsentSource = R"sql(
ALTER TABLE members ADD COLUMN consent_source TEXT NOT NULL DEFAULT '';
)sql";

// Version 9 — games, second part (docs/games.md): a member's plays of a game on a day and the oldest unused
// ticket are read by every draw, so they get their own indexes (without them a draw scanned all of the
// member's draws and tickets: 100 000 draws slowed to ~15/s); a game may sell a play for points
// (`ticket_price_points`, NULL: not for sale).
constexpr const char* kV9Games = R"sql(
CREATE INDEX game_draws_plays ON game_draws(member_id, game_id, day);
CREATE INDEX game_tickets_unused ON game_tickets(member_id, game_id, ticket_id) WHERE used_at IS NULL;
ALTER TABLE games ADD COLUMN ticket_price_points BIGINT;
)sql";

// Version 10 — the console's customer care (issue 14, second half; docs/console.md): a receipt
// brought back, in full or in part. One row per return: the dong returned and the points it reversed
// (its ledger entry is kind 'return', keyed the same), who did it and the answer given, so a retried
// request gets the same answer. The sum of amount_dong per receipt never passes the claim's amount.
constexpr const char* kV10Care = R"sql(
CREATE TABLE receipt_returns (
  idempotency_key TEXT PRIMARY KEY,
  receipt_id TEXT NOT NULL REFERENCES claims(receipt_id),
  member_id BIGINT NOT NULL REFERENCES members(member_id),
  amount_dong BIGINT NOT NULL CHECK (amount_dong > 0),
  points BIGINT NOT NULL CHECK (points >= 0),
  at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  result TEXT NOT NULL);
CREATE INDEX receipt_returns_receipt ON receipt_returns(receipt_id);
)sql";

// Version 11 — staff of the maintenance mode (issue 13): staff members issued by head office, their PIN
// as an Argon2id string (crypto_pwhash_str; the PIN itself is never stored), revocation; staff_actions
// keeps each action a kiosk reported once (its key per kiosk), the audit row is in console_audit.
constexpr const char* kV11Staff = R"sql(
CREATE TABLE staff_members (
  staff_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT);
CREATE TABLE staff_actions (
  kiosk_id TEXT NOT NULL,
  action_key TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (kiosk_id, action_key));
)sql";

// Version 12 — the console's reports (issue 14; docs/console.md "Reports"). A report reads closed days
// (ended an hour ago: no transaction still writes into them) from report_days, one row per store and
// local day (day = (at + 7 h) / 86 400), rolled up once from the ledger, vouchers, members and game
// draws the first time a report covers them; report_months keeps the distinct active members of a
// closed month, which no sum of days gives; report_rolled marks a day or month rolled even when no
// store had anything. The indexes serve the roll-up and the live part (today, expiries: an expiry is
// written late, dated when the points fell due, so it is never rolled up).
constexpr const char* kV12Reports = R"sql(
CREATE TABLE report_days (
  day BIGINT NOT NULL,
  store_id TEXT NOT NULL,
  claims BIGINT NOT NULL,
  points_issued BIGINT NOT NULL,
  points_redeemed BIGINT NOT NULL,
  points_returned BIGINT NOT NULL,
  vouchers_issued BIGINT NOT NULL,
  vouchers_consumed BIGINT NOT NULL,
  members_new BIGINT NOT NULL,
  members_active BIGINT NOT NULL,
  game_draws BIGINT NOT NULL,
  game_prizes BIGINT NOT NULL,
  PRIMARY KEY (day, store_id));
CREATE TABLE report_months (
  month BIGINT NOT NULL,
  store_id TEXT NOT NULL,
  members_active BIGINT NOT NULL,
  PRIMARY KEY (month, store_id));
CREATE TABLE report_rolled (
  kind TEXT NOT NULL,
  period BIGINT NOT NULL,
  rolled_at BIGINT NOT NULL,
  PRIMARY KEY (kind, period));
CREATE INDEX ledger_expiry ON ledger(at) WHERE kind = 'expiry';
CREATE INDEX members_created ON members(created_at);
CREATE INDEX vouchers_issued ON vouchers(issued_at);
CREATE INDEX vouchers_consumed ON vouchers(consumed_at);
CREATE INDEX game_draws_at ON game_draws(drawn_at);
)sql";

// Version 13 — the console's second factor (docs/console.md "Second factor"): a user's TOTP secret
// (base32; set up but off until a code from the app turns it on) and the last time step a code was
// accepted for, so each code works once.
constexpr const char* kV13ConsoleTotp = R"sql(
ALTER TABLE console_users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE console_users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE console_users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
)sql";

std::vector<std::string> build(const char* idType) {
    std::vector<std::string> out;
    for (const char* sql : {kV1, kV2, kV3, kV4, kV5Fleet, kV6Notify, kV7Console, kV8ConsentSource, kV9Games,
                            kV10Care, kV11Staff, kV12Reports, kV13ConsoleTotp}) {
        std::string text = sql;
        for (auto pos = text.find("@ID@"); pos != std::string::npos; pos = text.find("@ID@", pos))
            text.replace(pos, 4, idType);
        out.push_back(std::move(text));
    }
    return out;
}

}  // namespace

const std::vector<std::string>& migrations(Backend backend) {
    static const std::vector<std::string> sqlite = build("INTEGER PRIMARY KEY AUTOINCREMENT");
    static const std::vector<std::string> postgres = build("BIGSERIAL PRIMARY KEY");
    return backend == Backend::Sqlite ? sqlite : postgres;
}

}  // namespace central
