#pragma once
// The one place where the journey's vocabulary (kiosk/model.hpp) meets the network client's, the local
// store's and the sync worker's types. The workers call these on their threads before they post an
// event, and on the commands they carry out; the journey never sees a net::, sync:: or hal:: type.

#include <expected>

#include "hal/scan_hint.hpp"
#include "kiosk/game_model.hpp"
#include "kiosk/model.hpp"
#include "kiosk/sync/local_store.hpp"
#include "kiosk/sync/sync_worker.hpp"
#include "network/central_client.hpp"
#include "network/games.hpp"

namespace kiosk::adapter {

// ---- into the core ---------------------------------------------------------------------------------

[[nodiscard]] Member toModel(const net::MemberInfo& member);
[[nodiscard]] ClaimOutcome toModel(const net::ClaimOutcome& outcome);
[[nodiscard]] CentralError toModel(const net::Error& error);
[[nodiscard]] OtpSent toModel(const net::OtpSent& sent);
[[nodiscard]] Redemption toModel(const net::Voucher& voucher);
[[nodiscard]] Refusal toModel(const sync::Refusal& refusal);
[[nodiscard]] KeptVoucher toModel(const sync::IssuedVoucher& voucher);
[[nodiscard]] Enrollment toModel(sync::Enrollment enrollment);
[[nodiscard]] QueueFailure toModel(const sync::StoreError& error);
[[nodiscard]] ScanTip toModel(hal::ScanHint hint);
[[nodiscard]] ServiceNotice toModel(const sync::ServiceState& state);
/// What the update agent last said and until when staff postponed its switch (UpdateControl's).
[[nodiscard]] UpdateInfo toModel(const sync::UpdateControl& update);
[[nodiscard]] GameDrawInfo toModel(const net::GameDraw& draw);
[[nodiscard]] TicketPurchase toModel(const net::TicketPurchase& purchase);
/// The store's games and the member's tickets and undisplayed draws, from central's two answers.
[[nodiscard]] GameOffer toModel(const net::GameList& games, const net::MemberGames& member);

/// A call's result in the core's words, its error included.
template <typename T>
[[nodiscard]] auto toModel(const net::Result<T>& result)
    -> std::expected<decltype(toModel(*result)), CentralError> {
    if (!result) {
        return std::unexpected(toModel(result.error()));
    }
    return toModel(*result);
}

// ---- out of the core -------------------------------------------------------------------------------

[[nodiscard]] sync::NewClaim toStore(const NewClaim& claim);
/// Kept before anything is printed, so staff can reprint it.
[[nodiscard]] sync::IssuedVoucher toStore(const Voucher& voucher);
[[nodiscard]] sync::ServiceState toStore(const ServiceNotice& notice);
/// Without an idempotency key: the worker gives each confirmed code entry its own.
[[nodiscard]] net::RedemptionRequest toNet(const RedeemRequest& request);

}  // namespace kiosk::adapter
