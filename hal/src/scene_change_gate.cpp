#include "hal/scene_change_gate.hpp"

#include "scene_signature.hpp"

namespace hal {

bool SceneChangeGate::wantsDecode(const Frame& frame, MonotonicMs now) {
    if (!m_config.enabled) return true;
    if (frame.empty()) return false;
    std::vector<std::uint8_t> cells = detail::sceneSignature(frame, m_config.signatureWidth);
    if (m_reference.empty() ||
        detail::sceneChanged(cells, m_reference, m_config.changeLevel, m_config.changedArea)) {
        m_reference = std::move(cells);
        m_settleLeft = m_config.settleDecodes;
        ++m_changes;
        return true;
    }
    return m_settleLeft > 0 || now - m_lastDecodeAt >= m_config.stillDecodeIntervalMs;
}

void SceneChangeGate::decoded(MonotonicMs now) {
    if (m_settleLeft > 0) --m_settleLeft;
    m_lastDecodeAt = now;
}

}  // namespace hal
