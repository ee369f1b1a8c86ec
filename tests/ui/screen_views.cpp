// The worst-case Views of every screen and the checks the layout tests run on what the host drew
// (screen_views.hpp).
#include "screen_views.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ui::test {
namespace {

std::string show(const Rect& r) {
    std::ostringstream out;
    out << "[" << r.x0 << "," << r.y0 << " - " << r.x1 << "," << r.y1 << "]";
    return out.str();
}

/// What the shopper sees of `r`: its part inside `clip`.
Rect seen(const Rect& r, const Rect& clip) {
    return r.intersection(clip);
}

}  // namespace

Control button(const std::string& id, const std::string& label, bool enabled, bool primary) {
    return {id, label, Control::Kind::Button, enabled, primary};
}

void addFrame(View& v, const std::string& title, bool countdown) {
    v.language = "vi";
    v.title = title;
    v.status = "Ngoại tuyến — điểm sẽ được đồng bộ sau · Đang đồng bộ 12 hóa đơn";
    v.controls.push_back(button("lang", "English"));
    v.controls.push_back(button("call_staff", "Gọi nhân viên"));
    if (countdown) {
        v.countdown = "Màn hình sẽ trở về trang đầu sau 9 giây — chạm để tiếp tục";
    }
}

void addKeypad(View& v, bool okEnabled) {
    for (char d = '1'; d <= '9'; ++d) {
        v.controls.push_back({std::string("key:") + d, std::string(1, d), Control::Kind::Key});
    }
    v.controls.push_back({"key:del", "Xóa", Control::Kind::Key});
    v.controls.push_back({"key:0", "0", Control::Kind::Key});
    v.controls.push_back({"ok", "Xong", Control::Kind::Key, okEnabled, true});
    v.controls.push_back(button("back", "Quay lại"));
}

View attract(bool countdown) {
    View v;
    v.screen = ScreenId::Attract;
    addFrame(v, "Tích điểm thành viên", countdown);
    v.lines = {{"Chương trình Tích điểm Mùa Lễ Hội 2026", TextLine::Style::Heading},
               {"Quét mã QR trên hóa đơn để tích điểm"},
               {"Giữ mã QR trước camera bên phải màn hình, cách khoảng một gang tay."},
               {"Cuối tuần vàng: điểm x2 vào thứ Bảy và Chủ nhật"},
               {"Tết Nguyên Đán: điểm x3 từ 20/01/2027 đến 05/02/2027"}};
    v.cameraAt = "below";
    v.controls.push_back(button("start", "Chạm để bắt đầu", true, true));
    v.controls.push_back(button("access", "Chữ to, tương phản cao"));
    v.controls.push_back({"staff", "", Control::Kind::Hidden});
    return v;
}

View scan(bool countdown) {
    View v;
    v.screen = ScreenId::Scan;
    addFrame(v, "Quét hóa đơn", countdown);
    v.cameraPreview = true;
    v.lines = {
        {"Đưa mã QR trên hóa đơn vào khung. Máy tự đọc, không cần bấm."},
        {"Chưa đọc được? Hãy vuốt phẳng hóa đơn, giữ yên mã QR trong khung và tránh ánh đèn chói.",
         TextLine::Style::Small},
        {"Hóa đơn không phải của chuỗi cửa hàng này hoặc đã bị sửa.", TextLine::Style::Body, Tone::Error}};
    v.controls.push_back(button("back", "Quay lại"));
    return v;
}

View keypad(ScreenId screen, bool countdown) {
    View v;
    v.screen = screen;
    addFrame(v, "Số điện thoại của bạn", countdown);
    v.lines = {{"Hóa đơn 1.250.000 ₫ hợp lệ", TextLine::Style::Body, Tone::Good},
               {"Nhập số điện thoại di động để nhận điểm"},
               {"Ví dụ: 090 123 4567 hoặc 84 901 234 567", TextLine::Style::Small},
               {"Đây là số máy bàn. Vui lòng nhập số di động để nhận mã xác nhận.", TextLine::Style::Body,
                Tone::Error}};
    v.entry = "028 123 4567";
    addKeypad(v, false);
    return v;
}

View consent(bool countdown) {
    View v;
    v.screen = ScreenId::Consent;
    addFrame(v, "Tham gia chương trình thành viên", countdown);
    v.lines = {
        {"Số điện thoại: 098****321", TextLine::Style::Heading},
        {"Hiện chưa kiểm tra được bạn đã là thành viên hay chưa. Nếu đã là thành viên, hãy chọn \"Tôi "
         "đã là thành viên\": điểm sẽ vào tài khoản hiện có.",
         TextLine::Style::Body, Tone::Warning},
        {"Để tích điểm, chúng tôi lưu số điện thoại và lịch sử mua hàng của bạn chỉ nhằm quản lý điểm "
         "thưởng và ưu đãi thành viên. Bạn có thể yêu cầu xem, sửa hoặc xóa dữ liệu tại quầy bất cứ lúc "
         "nào."},
        {"Điều khoản phiên bản 2026-01", TextLine::Style::Small}};
    Control join{"consent:join", "Tôi đồng ý tham gia chương trình thành viên", Control::Kind::Checkbox};
    join.checked = true;
    v.controls.push_back(join);
    v.controls.push_back({"consent:marketing", "Tôi muốn nhận tin khuyến mãi qua SMS/Zalo (không bắt buộc)",
                          Control::Kind::Checkbox});
    v.controls.push_back(button("ok", "Tiếp tục", true, true));
    v.controls.push_back(button("consent:already_member", "Tôi đã là thành viên"));
    v.controls.push_back(button("back", "Quay lại"));
    return v;
}

View result(bool countdown, bool withCard) {
    View v;
    v.screen = ScreenId::Result;
    addFrame(v, withCard ? "Tích điểm thành công" : "Đã nhận hóa đơn", countdown);
    v.lines = {{"Thành viên 090****567"},
               {"+1.275 điểm", TextLine::Style::Big, Tone::Good},
               {"Điểm cơ bản: 1.020 điểm", TextLine::Style::Small},
               {"Thưởng hạng thành viên: 255 điểm", TextLine::Style::Small},
               {"Quà chào mừng thành viên mới: 100 điểm", TextLine::Style::Small},
               {"Số dư: 12.375 điểm", TextLine::Style::Heading},
               {"Không in được phiếu xác nhận: máy in hết giấy. Sự đồng ý của bạn vẫn đã được ghi nhận.",
                TextLine::Style::Body, Tone::Error}};
    if (withCard) {
        TierCard card;
        card.tierId = "gold";
        card.colour = 0xD4AF37;
        card.name = "Vàng";
        card.progress = 0.4F;
        card.progressText = "Còn 7.625 điểm nữa để lên hạng Kim Cương";
        card.benefits = {"Thêm 25% điểm cho mỗi hóa đơn", "Quà sinh nhật do cửa hàng gửi tận nơi"};
        v.tier = card;
        v.controls.push_back(button("rewards", "Đổi quà", true, true));
        v.controls.push_back(button("game:buy", "Mua lượt chơi — 1.000 điểm"));
        v.controls.push_back(button("history", "Lịch sử"));
    }
    v.controls.push_back(button("print_consent", "In xác nhận đồng ý"));
    v.controls.push_back(button("done", "Hoàn tất", true, !withCard));
    return v;
}

/// Points landing: the count-up half way, confetti falling round the texts.
View celebrating(bool countdown) {
    View v = result(countdown, true);
    v.celebration = 0.5F;
    return v;
}

View list(ScreenId screen, bool countdown) {
    View v;
    v.screen = screen;
    addFrame(v, "Đổi quà", countdown);
    v.lines = {{"Số dư: 12.375 điểm", TextLine::Style::Heading},
               {"Máy in hết giấy — tạm thời không đổi được quà. Vui lòng báo nhân viên.",
                TextLine::Style::Body, Tone::Error}};
    for (int i = 0; i < 12; ++i) {
        Control c =
            button("reward:R" + std::to_string(i), "Phiếu mua hàng 200.000 ₫ tại mọi cửa hàng", i % 3 != 0);
        c.detail = i % 3 == 0 ? "Còn thiếu 1.250 điểm" : "2.000 điểm";
        c.picture = "reward:R" + std::to_string(i);  // none uploaded unless a test does: plain tiles
        v.controls.push_back(c);
    }
    v.controls.push_back(button("printer:check", "Đã thay giấy? Kiểm tra lại máy in"));
    v.controls.push_back(button("back", "Quay lại"));
    v.controls.push_back(button("done", "Hoàn tất", true, true));
    return v;
}

View working(bool countdown) {
    View v;
    v.screen = ScreenId::Working;
    addFrame(v, "Vui lòng chờ", countdown);
    v.spinner = 0.4F;
    v.lines = {{"Đang gửi mã xác nhận đến điện thoại của bạn…", TextLine::Style::Big},
               {"Vẫn đang thử… Vui lòng chờ thêm một chút."}};
    return v;
}

View history(bool countdown) {
    View v;
    v.screen = ScreenId::History;
    addFrame(v, "Lịch sử tích điểm", countdown);
    for (int i = 0; i < 25; ++i) {
        v.lines.push_back({"02/12/2026 14:3" + std::to_string(i % 10) + " · Tích điểm hóa đơn HCM001 +1.275",
                           TextLine::Style::Body});
    }
    Control stop = button("promotions:stop", "Ngừng nhận khuyến mãi", false);
    stop.detail = "Tạm thời không thực hiện được: máy không kết nối được hệ thống";
    v.controls.push_back(stop);
    v.controls.push_back(button("back", "Quay lại"));
    return v;
}

View optOut(bool countdown) {
    View v;
    v.screen = ScreenId::OptOut;
    addFrame(v, "Ngừng nhận khuyến mãi", countdown);
    v.lines = {{"Đã xong.", TextLine::Style::Heading, Tone::Good},
               {"Bạn vẫn nhận tin nhắn về giao dịch của mình."}};
    v.controls.push_back(button("back", "Quay lại"));
    v.controls.push_back(button("done", "Hoàn tất", true, true));
    return v;
}

std::vector<View> everyScreen(bool countdown) {
    return {attract(countdown),
            scan(countdown),
            keypad(ScreenId::Phone, countdown),
            keypad(ScreenId::Otp, countdown),
            keypad(ScreenId::StaffPin, countdown),
            consent(countdown),
            result(countdown, true),
            result(countdown, false),
            celebrating(countdown),
            working(countdown),
            list(ScreenId::Rewards, countdown),
            list(ScreenId::Voucher, countdown),
            list(ScreenId::Maintenance, countdown),
            history(countdown),
            optOut(countdown)};
}

std::unique_ptr<Host> makeHost(bool landscape, const Theme& theme) {
    HostOptions options;
    options.width = landscape ? 1920 : 1080;
    options.height = landscape ? 1080 : 1920;
    options.theme = theme;
    return makeHost(options);
}

std::unique_ptr<Host> makeHost(const HostOptions& options) {
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    auto host = Host::create(options);
    return host ? std::move(*host) : nullptr;
}

float smallestText(const Layout& layout) {
    float smallest = 1e9F;
    for (const auto& t : layout.texts) {
        // One line's height: the glyphs' box of a text that did not wrap.
        if (t.text.find('\n') == std::string::npos && t.rect.y1 - t.rect.y0 < smallest &&
            t.rect.x1 - t.rect.x0 > 0) {
            smallest = t.rect.y1 - t.rect.y0;
        }
    }
    return smallest;
}

void checkPlacement(const Layout& layout, const std::string& where) {
    const Rect window{0, 0, layout.width, layout.height};
    for (const auto& c : layout.controls) {
        if (c.scrolls) {
            EXPECT_TRUE(window.contains(c.clip)) << where << ": the list of " << c.id << " leaves the window";
            EXPECT_TRUE((Rect{c.clip.x0, -1e9F, c.clip.x1, 1e9F}.contains(c.rect)))
                << where << ": " << c.id << " " << show(c.rect) << " is wider than its list " << show(c.clip);
        } else {
            EXPECT_TRUE(window.contains(c.rect))
                << where << ": " << c.id << " " << show(c.rect) << " is not inside the window";
        }
    }
    for (const auto& t : layout.texts) {
        EXPECT_TRUE(t.room.contains(t.rect)) << where << ": \"" << t.text << "\" " << show(t.rect)
                                             << " is cut: it runs out of " << show(t.room);
        EXPECT_TRUE(window.contains(seen(t.rect, t.clip)))
            << where << ": \"" << t.text << "\" leaves the window";
    }
}

void checkOverlaps(const Layout& layout, const std::string& where) {
    std::vector<std::pair<std::string, Rect>> solid;  // what nothing else may cover, as the shopper sees it
    for (const auto& c : layout.controls) {
        if (!c.hidden && !seen(c.rect, c.clip).empty()) {
            solid.emplace_back("control " + c.id, seen(c.rect, c.clip));
        }
    }
    for (const auto& t : layout.texts) {
        if (t.kind == DrawnText::Kind::Line && !seen(t.rect, t.clip).empty()) {
            solid.emplace_back("text \"" + t.text + "\"", seen(t.rect, t.clip));
        }
    }
    if (layout.camera) {
        solid.emplace_back("the camera picture", *layout.camera);
    }
    for (std::size_t i = 0; i < solid.size(); ++i) {
        for (std::size_t j = i + 1; j < solid.size(); ++j) {
            EXPECT_FALSE(solid[i].second.overlaps(solid[j].second))
                << where << ": " << solid[i].first << " " << show(solid[i].second) << " overlaps "
                << solid[j].first << " " << show(solid[j].second);
        }
    }
}

void checkContrast(const Layout& layout, const std::string& where) {
    for (const auto& t : layout.texts) {
        const float needed = t.large ? 3.0F : 4.5F;
        EXPECT_GE(contrastRatio(t.colour, t.background), needed)
            << where << ": \"" << t.text << "\" " << std::hex << t.colour << " on " << t.background;
    }
    for (const auto& c : layout.controls) {
        if (!c.hidden) {
            EXPECT_GE(contrastRatio(c.outline, c.background), 3.0F)
                << where << ": the edge of " << c.id << " " << std::hex << c.outline << " on "
                << c.background;
        }
    }
}

/// Every screen with and without the idle banner, in the standard look and in large text and high
/// contrast (`accessible`).
std::vector<View> everyScreenEveryMode() {
    std::vector<View> out;
    for (const bool accessible : {false, true}) {
        for (const bool countdown : {false, true}) {
            for (auto& view : everyScreen(countdown)) {
                view.accessible = accessible;
                out.push_back(std::move(view));
            }
        }
    }
    return out;
}

std::string where(const View& view) {
    return std::string(screenName(view.screen)) + (view.countdown ? " with the idle banner" : "") +
           (view.accessible ? " in large text" : "");
}

/// An RGBA picture of `width` x `height`, a dark block on light (what central's PNGs decode to).
Image picture(int width, int height) {
    Image image{width, height, 4,
                std::vector<std::uint8_t>(static_cast<std::size_t>(width * height) * 4U, 0xEE)};
    for (int y = height / 4; y < height * 3 / 4; ++y) {
        for (int x = width / 4; x < width * 3 / 4; ++x) {
            const auto at = static_cast<std::size_t>(y * width + x) * 4U;
            image.pixels[at] = 0x8B;
            image.pixels[at + 1] = image.pixels[at + 2] = 0x1A;
        }
    }
    return image;
}

void checkPictures(const Layout& layout, const std::string& where) {
    const Rect window{0, 0, layout.width, layout.height};
    for (const auto& drawn : layout.pictures) {
        EXPECT_TRUE(window.contains(drawn)) << "a picture outside the window on " << where;
        for (const auto& text : layout.texts) {
            EXPECT_FALSE(text.rect.overlaps(drawn)) << "\"" << text.text << "\" over a picture on " << where;
        }
    }
}

/// Writes `image` as a binary PPM (ImageMagick converts it) into <build>/screenshots/look/.
void keep(const Image& image, const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(KIOSK_BINARY_DIR) / "screenshots" / "look";
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / (name + ".ppm"), std::ios::binary);
    out << "P6\n" << image.width << " " << image.height << "\n255\n";
    for (std::size_t i = 0; i + 3 < image.pixels.size(); i += 4) {
        out.write(reinterpret_cast<const char*>(&image.pixels[i]), 3);
    }
}

std::uint32_t pixel(const Image& image, int x, int y) {
    const auto at =
        (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) *
        4U;
    return static_cast<std::uint32_t>(image.pixels[at]) << 16 |
           static_cast<std::uint32_t>(image.pixels[at + 1]) << 8 | image.pixels[at + 2];
}

}  // namespace ui::test
