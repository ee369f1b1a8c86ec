// Central's side of the chain's look (issue 17, docs/kiosk-ux.md): PUT /v1/admin/theme and a reward's
// image_png are checked for their form and carried in the kiosks' config document (changing its ETag);
// a malformed colour, picture or font family name is refused naming the field and stores nothing. SQLite and
// PostgreSQL (the PostgreSQL cases skip without KIOSK_TEST_PG_URL; scripts/test always provides it).
#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "central_harness.hpp"

namespace central_test {
namespace {

std::string base64(const std::vector<unsigned char>& bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

/// The head of a PNG file declaring `width` x `height` (signature and IHDR: what central reads).
std::vector<unsigned char> pngHead(std::uint32_t width, std::uint32_t height) {
    std::vector<unsigned char> png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
                                   0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    for (const std::uint32_t v : {width, height}) {
        for (const int shift : {24, 16, 8, 0}) png.push_back(static_cast<unsigned char>(v >> shift & 0xFFU));
    }
    for (int i = 0; i < 13; ++i) png.push_back(i == 0 ? 8 : 0);  // depth, colour type, ..., CRC
    return png;
}

class ThemeApi : public BackendTest {
  protected:
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped()) return;
        m_central = std::make_unique<CentralProcess>(CentralProcess::Options{databaseUrl(), "", ""});
        m_kiosk = enrollDevKiosk(*m_central);
    }
    std::unique_ptr<CentralProcess> m_central;
    std::string m_kiosk;
};

TEST_P(ThemeApi, TheChainsLookReachesTheConfigDocumentAndAMalformedOneIsRefused) {
    auto before = m_central->get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(before.body["theme"], Json::object()) << "no look set: an empty one";
    const std::string logo = base64(pngHead(400, 120));
    auto set =
        m_central->put("/v1/admin/theme", kAdmin,
                       Json{{"primary", "#8B1A1A"}, {"logo_png", logo}, {"heading_font", "Noto Serif"}});
    ASSERT_EQ(set.status, 200) << set.body.dump();
    auto after = m_central->get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    EXPECT_EQ(after.body["theme"]["primary"], "#8B1A1A");
    EXPECT_EQ(after.body["theme"].value("heading_font", ""), "Noto Serif");
    EXPECT_EQ(after.body["theme"]["logo_png"], logo);
    EXPECT_NE(after.header("ETag"), before.header("ETag"));

    const std::pair<Json, std::string> refused[] = {
        {Json{{"primary", "#12"}}, "primary"},
        {Json{{"header", "red"}}, "header"},
        {Json{{"logo_png", "%%%"}}, "logo_png"},
        {Json{{"logo_png", base64({'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0})}}, "logo_png"},
        {Json{{"logo_png", base64(pngHead(2000, 100))}}, "logo_png"},
        {Json{{"logo_png", std::string(100'000, 'A')}}, "logo_png"},
        {Json{{"body_font", "../../etc/passwd"}}, "body_font"},
        {Json{{"body_font", ""}}, "body_font"},
        {Json{{"heading_font", 12}}, "heading_font"},
        {Json{{"heading_font", std::string(65, 'A')}}, "heading_font"},
    };
    for (const auto& [body, field] : refused) {
        auto answer = m_central->put("/v1/admin/theme", kAdmin, body);
        EXPECT_EQ(answer.code(), "invalid_field") << body.dump().substr(0, 60);
        EXPECT_NE(answer.body.dump().find(field), std::string::npos) << answer.body.dump();
    }
    EXPECT_EQ(m_central->put("/v1/admin/theme", kAdmin, Json{{"font", "x"}}).code(), "unknown_field");
    EXPECT_EQ(m_central->put("/v1/admin/theme", m_kiosk, Json::object()).status, 403);
    auto kept = m_central->get("/v1/admin/theme", kAdmin);
    EXPECT_EQ(kept.body["theme"]["primary"], "#8B1A1A") << "a refused look stores nothing";
}

TEST_P(ThemeApi, ARewardsPictureIsCheckedAndCarriedToTheKiosks) {
    const Json reward{{"name_vi", "Cà phê"},
                      {"name_en", "Coffee"},
                      {"cost", 10},
                      {"value_dong", 1000},
                      {"voucher_validity_days", 7}};
    Json pictured = reward;
    pictured["image_png"] = base64(pngHead(160, 160));
    ASSERT_EQ(m_central->put("/v1/admin/rewards/PIC", kAdmin, pictured).status, 200);
    Json tooLarge = reward;
    tooLarge["image_png"] = base64(pngHead(800, 800));
    EXPECT_EQ(m_central->put("/v1/admin/rewards/BIG", kAdmin, tooLarge).code(), "invalid_field");
    auto config = m_central->get("/v1/kiosks/K-DEV-01/config", m_kiosk);
    bool found = false;
    for (const auto& r : config.body["rewards"]) {
        EXPECT_NE(r.value("id", ""), "BIG") << "a refused reward is not stored";
        if (r.value("id", "") == "PIC") {
            found = true;
            EXPECT_EQ(r.value("image_png", ""), pictured["image_png"].get<std::string>());
        }
    }
    EXPECT_TRUE(found) << config.body.dump().substr(0, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, ThemeApi, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                             return p.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace central_test
