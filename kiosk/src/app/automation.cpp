// The automation socket's commands (docs/automation.md), run on the UI thread: state, tap, type,
// camera, screenshot, idle, advance.
#include <spdlog/spdlog.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <fstream>

#include "app_parts.hpp"
#include "hal/virtual_camera.hpp"

namespace kiosk {

using nlohmann::json;

namespace {

json stateOf(const ui::View& view) {
    json texts = json::array();
    texts.push_back(view.title);
    for (const auto& line : view.lines) {
        texts.push_back(line.text);
    }
    json controls = json::array();
    for (const auto& control : view.controls) {
        controls.push_back({{"id", control.id}, {"label", control.label}, {"enabled", control.enabled}});
        if (control.kind == ui::Control::Kind::Checkbox) {
            controls.back()["checked"] = control.checked;
        }
        if (!control.detail.empty()) {
            texts.push_back(control.detail);
        }
    }
    json state = {{"ok", true},
                  {"screen", ui::screenName(view.screen)},
                  {"language", view.language},
                  {"texts", texts},
                  {"controls", controls},
                  {"status", view.status},
                  {"revision", view.revision}};
    if (view.entry) {
        state["entry"] = *view.entry;
    }
    if (view.countdown) {
        state["countdown"] = *view.countdown;
    }
    if (view.tier) {
        state["tier"] = {
            {"id", view.tier->tierId}, {"name", view.tier->name}, {"progress", view.tier->progress}};
    }
    return state;
}

/// Resident memory of this process (VmRSS), kilobytes; 0 if unknown.
std::int64_t residentKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::strtoll(line.c_str() + 6, nullptr, 10);
        }
    }
    return 0;
}

}  // namespace

void App::handleAutomation(AutomationServer::Command command) {
    const std::string cmd = command.request.value("cmd", "");
    if (cmd == "state") {
        json state = stateOf(m_journey->view());
        state["animating"] = m_journey->animating(now());
        state["frames"] = m_framesDrawn;
        state["last_frame_ms"] = m_lastFrameMs;
        state["max_frame_ms"] = m_maxFrameMs;
        state["rss_kb"] = residentKb();
        state["fonts"] = {{"body", m_host->fonts().body}, {"heading", m_host->fonts().heading}};
        if (const auto refused = m_central->lookRefused.load()) {
            state["look_refused"] = *refused;
        }
        command.reply(std::move(state));
    } else if (cmd == "tap" || cmd == "type") {
        automationTouch(std::move(command));
    } else if (cmd == "camera") {
        automationCamera(command);
    } else if (cmd == "screenshot") {
        automationScreenshot(command);
    } else if (cmd == "idle" || cmd == "advance") {
        automationTime(command);
    } else if (cmd == "flick" || cmd == "scratch") {
        automationGesture(command);
    } else {
        command.reply(failure("unknown cmd '" + cmd +
                              "' (state, tap, type, camera, screenshot, idle, advance, flick, scratch)"));
    }
}

void App::automationTouch(AutomationServer::Command command) {
    const json& request = command.request;
    auto job = std::make_unique<AutomationJob>();
    if (request.value("cmd", "") == "tap") {
        if (!request.contains("id") || !request["id"].is_string()) {
            command.reply(failure("tap needs a string \"id\""));
            return;
        }
        job->taps.push_back(request["id"].get<std::string>());
    } else {
        if (!request.contains("text") || !request["text"].is_string()) {
            command.reply(failure("type needs a string \"text\""));
            return;
        }
        for (char ch : request["text"].get<std::string>()) {
            if (ch < '0' || ch > '9') {
                command.reply(failure("type takes digits only (the keypad has nothing else)"));
                return;
            }
            job->taps.push_back(std::string("key:") + ch);
        }
    }
    job->command = std::move(command);
    m_job = std::move(job);
}

void App::automationCamera(AutomationServer::Command& command) {
    const json& request = command.request;
    if (m_devices->virtualCamera == nullptr) {
        command.reply(failure("the camera is not the virtual driver"));
        return;
    }
    const std::string image = request.contains("image") && request["image"].is_string()
                                  ? request["image"].get<std::string>()
                                  : std::string();
    if (image.empty()) {
        m_devices->virtualCamera->clearShown();
        command.reply({{"ok", true}});
        return;
    }
    auto shown = m_devices->virtualCamera->showFile(image);
    command.reply(shown ? json{{"ok", true}} : failure(shown.error()));
}

void App::automationScreenshot(AutomationServer::Command& command) {
    const json& request = command.request;
    if (!request.contains("path") || !request["path"].is_string()) {
        command.reply(failure("screenshot needs a string \"path\""));
        return;
    }
    const std::string path = request["path"].get<std::string>();
    auto image = m_host->capture(m_journey->view());
    if (!image) {
        command.reply(failure(image.error()));
        return;
    }
    cv::Mat rgba(image->height, image->width, CV_8UC4, image->pixels.data());
    cv::Mat bgr;
    cv::cvtColor(rgba, bgr, cv::COLOR_RGBA2BGR);
    bool written = false;
    try {
        written = cv::imwrite(path, bgr);
    } catch (const cv::Exception& e) {
        spdlog::warn("screenshot {}: {}", path, e.what());
    }
    command.reply(written ? json{{"ok", true},
                                 {"path", path},
                                 {"width", image->width},
                                 {"height", image->height},
                                 {"animating", m_journey->animating(now())}}
                          : failure("cannot write " + path));
}

/// A finger on the game board, as the game screen reports it: {"cmd":"flick","speed":deg/s} or
/// {"cmd":"scratch","cells":[…]}. The journey checks them against the controls on screen, as a touch.
void App::automationGesture(AutomationServer::Command& command) {
    const json& request = command.request;
    std::vector<std::string> ids;
    if (request.value("cmd", "") == "flick") {
        if (!request.contains("speed") || !request["speed"].is_number_integer()) {
            command.reply(failure("flick needs an integer \"speed\" (degrees per second)"));
            return;
        }
        ids.push_back("flick:" + std::to_string(request["speed"].get<std::int64_t>()));
    } else {
        if (!request.contains("cells") || !request["cells"].is_array() || request["cells"].size() > 1000) {
            command.reply(failure("scratch needs \"cells\": a list of at most 1000 cell numbers"));
            return;
        }
        for (const auto& cell : request["cells"]) {
            if (!cell.is_number_integer()) {
                command.reply(failure("scratch cells are integers"));
                return;
            }
            ids.push_back("scratch:" + std::to_string(cell.get<std::int64_t>()));
        }
    }
    for (const auto& id : ids) {
        if (m_journey->view().control(id) == nullptr) {
            command.reply(failure("no control for '" + id + "' on screen " +
                                  std::string(ui::screenName(m_journey->view().screen))));
            return;
        }
        m_journey->onIntent(ui::Intent{id}, now());
        dispatch(m_journey->takeCommands());
    }
    command.reply(stateOf(m_journey->view()));
}

/// "idle" moves only the journey's idle time; "advance" moves the kiosk's one clock (scanner, sync, journey).
void App::automationTime(AutomationServer::Command& command) {
    const json& request = command.request;
    const bool idle = request.value("cmd", "") == "idle";
    const char* field = idle ? "advance_ms" : "ms";
    if (!request.contains(field) || !request[field].is_number_integer() ||
        request[field].get<std::int64_t>() < 0) {
        command.reply(failure(std::string(idle ? "idle" : "advance") + " needs a non-negative integer \"" +
                              field + "\""));
        return;
    }
    const auto ms = request[field].get<std::int64_t>();
    if (idle) {
        m_idleOffsetMs += ms;
    } else {
        m_devices->clock.advance(std::chrono::milliseconds{ms});
    }
    m_journey->tick(now());
    command.reply({{"ok", true}, {"screen", ui::screenName(m_journey->view().screen)}});
}

void App::pollAutomation() {
    if (!m_automation) {
        return;
    }
    // One multi-frame job at a time; the listener waits for each answer before reading the next line.
    while (!m_job) {
        auto command = m_automation->take();
        if (!command) {
            return;
        }
        handleAutomation(std::move(*command));
    }
}

void App::finishAutomationJob() {
    if (!m_job || m_host->injecting()) {
        return;
    }
    if (m_job->started) {
        m_job->taps.pop_front();
    }
    if (m_job->taps.empty()) {
        json answer = stateOf(m_journey->view());
        m_job->command.reply(std::move(answer));
        m_job.reset();
        return;
    }
    const std::string& id = m_job->taps.front();
    if (!m_host->tap(id)) {
        m_job->command.reply(failure("no enabled control '" + id + "' within reach on screen " +
                                     std::string(ui::screenName(m_journey->view().screen))));
        m_job.reset();
        return;
    }
    m_job->started = true;
}

}  // namespace kiosk
