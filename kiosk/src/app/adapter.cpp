#include "adapter.hpp"

namespace kiosk::adapter {

Member toModel(const net::MemberInfo& member) {
    Member m;
    m.phone = member.phone;
    m.balance = member.balance;
    m.tier = member.tier;
    m.tierName = member.tierName;
    m.nextTier = member.nextTier;
    m.progressPermille = member.progressPermille;
    m.pointsToNextTier = member.pointsToNextTier;
    m.marketingConsent = member.marketingConsent;
    m.history.reserve(member.history.size());
    for (const auto& h : member.history) {
        m.history.push_back({h.at, h.kind, h.points});
    }
    return m;
}

ClaimOutcome toModel(const net::ClaimOutcome& outcome) {
    ClaimOutcome o;
    switch (outcome.status) {
        case net::ClaimOutcome::Status::Accepted:
            o.status = ClaimOutcome::Status::Accepted;
            break;
        case net::ClaimOutcome::Status::Refused:
            o.status = ClaimOutcome::Status::Refused;
            break;
        case net::ClaimOutcome::Status::Retry:
            o.status = ClaimOutcome::Status::Pending;
            break;
    }
    o.pointsEarned = outcome.pointsEarned;
    o.balance = outcome.balance;
    o.breakdown.reserve(outcome.breakdown.size());
    for (const auto& line : outcome.breakdown) {
        o.breakdown.push_back({line.kind, line.label, line.points});
    }
    o.code = outcome.code;
    return o;
}

CentralError toModel(const net::Error& error) {
    return {error.code, error.definitive(), error.message};
}

OtpSent toModel(const net::OtpSent& sent) {
    return {sent.masked};
}

Redemption toModel(const net::Voucher& voucher) {
    Redemption r;
    r.voucher.code = voucher.code;
    r.voucher.qrPayload = voucher.qrPayload;
    r.voucher.title = voucher.name;
    r.voucher.valueDong = voucher.valueDong;
    r.voucher.issuedAt = voucher.issuedAt;
    r.voucher.expiresAt = voucher.expiresAt;
    r.voucher.terms = voucher.terms;
    r.balance = voucher.balance;
    return r;
}

GameDrawInfo toModel(const net::GameDraw& draw) {
    GameDrawInfo d;
    d.key = draw.idempotencyKey;
    d.gameId = draw.gameId;
    d.prizeId = draw.prizeId;
    d.kind = draw.kind;
    d.prizeName = draw.name;
    d.points = draw.points;
    d.balance = draw.balance;
    d.displayed = draw.displayed;
    if (draw.voucher) {
        Voucher v;
        v.code = draw.voucher->code;
        v.qrPayload = draw.voucher->qrPayload;
        v.title = d.prizeName;
        v.valueDong = draw.voucher->valueDong;
        v.issuedAt = draw.drawnAt;
        v.expiresAt = draw.voucher->expiresAt;
        d.voucher = std::move(v);
    }
    return d;
}

TicketPurchase toModel(const net::TicketPurchase& purchase) {
    return {purchase.gameId, purchase.pointsSpent, purchase.balance, purchase.tickets};
}

GameOffer toModel(const net::GameList& games, const net::MemberGames& member) {
    GameOffer offer;
    for (const auto& game : games.games) {
        GameInfo g;
        g.id = game.id;
        g.wheel = game.type == "wheel";
        g.name = game.name;
        g.registrationNumber = game.registrationNumber;
        g.prizeStructure = game.prizeStructure;
        g.nothingOddsPpm = game.nothingOddsPpm;
        g.ticketPricePoints = game.ticketPricePoints;
        for (const auto& prize : game.prizes) {
            g.prizes.push_back({prize.id, prize.kind, prize.name, prize.oddsPpm});
        }
        offer.games.push_back(std::move(g));
    }
    for (const auto& tickets : member.tickets) {
        offer.tickets.emplace_back(tickets.gameId, tickets.count);
    }
    for (const auto& draw : member.draws) {
        if (!draw.displayed) {
            offer.undisplayed.push_back(toModel(draw));
        }
    }
    return offer;
}

Refusal toModel(const sync::Refusal& refusal) {
    return {refusal.id,   refusal.receiptId, refusal.phone, refusal.provisionalPoints,
            refusal.code, refusal.refusedAt};
}

KeptVoucher toModel(const sync::IssuedVoucher& voucher) {
    KeptVoucher k;
    k.voucher.code = voucher.code;
    k.voucher.qrPayload = voucher.qrPayload;
    k.voucher.title = voucher.title;
    k.voucher.valueDong = voucher.valueDong;
    k.voucher.issuedAt = voucher.issuedAt;
    k.voucher.expiresAt = voucher.expiresAt;
    k.voucher.terms = voucher.terms;
    k.printed = voucher.printed;
    return k;
}

Enrollment toModel(sync::Enrollment enrollment) {
    switch (enrollment) {
        case sync::Enrollment::NotNeeded:
            return Enrollment::NotNeeded;
        case sync::Enrollment::Pending:
            return Enrollment::Pending;
        case sync::Enrollment::Enrolled:
            return Enrollment::Enrolled;
        case sync::Enrollment::Refused:
            return Enrollment::Refused;
    }
    return Enrollment::NotNeeded;
}

ScanTip toModel(hal::ScanHint hint) {
    switch (hint) {
        case hal::ScanHint::None:
            return ScanTip::None;
        case hal::ScanHint::HoldCloser:
            return ScanTip::HoldCloser;
        case hal::ScanHint::HoldStill:
            return ScanTip::HoldStill;
        case hal::ScanHint::TiltAwayFromLight:
            return ScanTip::TiltAwayFromLight;
        case hal::ScanHint::FlattenReceipt:
            return ScanTip::FlattenReceipt;
    }
    return ScanTip::None;
}

QueueFailure toModel(const sync::StoreError& error) {
    return error.kind == sync::StoreError::Kind::Duplicate ? QueueFailure::Duplicate : QueueFailure::Store;
}

sync::NewClaim toStore(const NewClaim& claim) {
    sync::NewClaim c;
    c.receiptId = claim.receiptId;
    c.token = claim.token;
    c.phone = claim.phone;
    c.consentJoin = claim.consentJoin;
    c.consentMarketing = claim.consentMarketing;
    c.consentTextVersion = claim.consentTextVersion;
    c.acceptedAt = claim.acceptedAt;
    c.provisionalPoints = claim.provisionalPoints;
    return c;
}

sync::IssuedVoucher toStore(const Voucher& voucher) {
    sync::IssuedVoucher v;
    v.code = voucher.code;
    v.qrPayload = voucher.qrPayload;
    v.title = voucher.title;
    v.valueDong = voucher.valueDong;
    v.issuedAt = voucher.issuedAt;
    v.expiresAt = voucher.expiresAt;
    v.terms = voucher.terms;
    return v;
}

net::RedemptionRequest toNet(const RedeemRequest& request) {
    net::RedemptionRequest r;
    r.phone = request.phone;
    r.rewardId = request.rewardId;
    r.otp = request.otp;
    return r;
}

ServiceNotice toModel(const sync::ServiceState& state) {
    return ServiceNotice{state.outOfService, state.message, state.by};
}

UpdateInfo toModel(const sync::UpdateControl& update) {
    auto status = update.status();
    return {std::move(status.report.state), std::move(status.version), std::move(status.report.error),
            update.postponedUntil()};
}

sync::ServiceState toStore(const ServiceNotice& notice) {
    return sync::ServiceState{notice.outOfService, notice.message, notice.by};
}

}  // namespace kiosk::adapter
