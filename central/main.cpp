// central — the chain's loyalty ledger and fleet service. See docs/api.md and central/server.hpp.

#include <exception>
#include <iostream>

#include "central/server.hpp"
#include "central/settings.hpp"

int main(int argc, char** argv) {
    try {
        return central::runCentral(central::loadSettings(argc, argv));
    } catch (const central::InsecureSettings& e) {
        std::cerr << "central: refusing to start: " << e.what() << "\n";
        return central::kExitInsecure;
    } catch (const std::exception& e) {
        std::cerr << "central: " << e.what() << "\n";
        return 1;
    }
}
